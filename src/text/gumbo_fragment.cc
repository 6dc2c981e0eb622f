#include "text/gumbo_fragment.h"

#include <utility>
#include <vector>

namespace dateline::text_internal {

namespace {

GumboOptions FragmentOptions() {
  GumboOptions options = kGumboDefaultOptions;
  options.fragment_context = GUMBO_TAG_DIV;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  options.max_errors = 0;  // parse errors are not used; do not collect them
  return options;
}

const GumboVector* ChildrenOf(const GumboNode& node) {
  switch (node.type) {
    case GUMBO_NODE_DOCUMENT:
      return &node.v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return &node.v.element.children;
    default:
      return nullptr;
  }
}

}  // namespace

GumboFragment::GumboFragment(std::string_view html) : buffer_(html) {
  const GumboOptions options = FragmentOptions();
  output_ = gumbo_parse_with_options(&options, buffer_.data(), buffer_.size());
}

GumboFragment::~GumboFragment() {
  if (output_ != nullptr) {
    const GumboOptions options = FragmentOptions();
    gumbo_destroy_output(&options, output_);
  }
}

GumboFragment::GumboFragment(GumboFragment&& other) noexcept
    : buffer_(std::move(other.buffer_)), output_(std::exchange(other.output_, nullptr)) {}

const GumboNode* GumboFragment::root() const { return output_ ? output_->root : nullptr; }

void Walk(const GumboNode& parent, const TreeVisitor& visitor) {
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
  };
  std::vector<Frame> stack;
  stack.push_back({&parent, 0});
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector* children = ChildrenOf(*top.node);
    if (children == nullptr || top.next_child >= children->length) {
      const GumboNode* done = top.node;
      stack.pop_back();
      if (!stack.empty() && visitor.leave) visitor.leave(*done);  // not for `parent`
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children->data[top.next_child++]);
    if (child->type == GUMBO_NODE_ELEMENT || child->type == GUMBO_NODE_TEMPLATE) {
      if (visitor.enter && visitor.enter(*child)) stack.push_back({child, 0});
    } else if (visitor.leaf) {
      visitor.leaf(*child);
    }
  }
}

bool IsDroppedWithContent(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_ISINDEX:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_HEAD:
      return true;
    default:
      return false;
  }
}

bool IsInlineElement(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_ACRONYM:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_DATA:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_INS:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_NOBR:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}


}  // namespace dateline::text_internal
