// compress_levels FILE...: time and size of brotli and gzip at several
// levels over the given files (built pages), beside the levels Dateline
// uses (http::GzipCompress, http::BrotliCompress) measured in the same run.
//
//   find OUT -name index.html | head -400 | xargs compress_levels
//
// (libdeflate rows allocate their compressor per file; Dateline keeps one
// per thread.)
#include <brotli/encode.h>
#include <libdeflate.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "http/response_cache.h"

namespace {

struct Figure {
  double ms_per_file = 0;
  double ratio = 0;
};

Figure Measure(const std::vector<std::string>& files, const std::function<std::size_t(const std::string&)>& pack) {
  std::size_t in = 0, out = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (const std::string& f : files) {
    in += f.size();
    out += pack(f);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return {1000 * s / static_cast<double>(files.size()), static_cast<double>(out) / static_cast<double>(in)};
}

std::size_t Brotli(const std::string& f, int quality) {
  std::size_t n = BrotliEncoderMaxCompressedSize(f.size());
  std::string o(n, '\0');
  if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, f.size(),
                             reinterpret_cast<const std::uint8_t*>(f.data()), &n,
                             reinterpret_cast<std::uint8_t*>(o.data()))) {
    return f.size();
  }
  return n;
}

std::size_t Zlib(const std::string& f, int level) {
  uLongf n = compressBound(static_cast<uLong>(f.size()));
  std::string o(n, '\0');
  if (compress2(reinterpret_cast<Bytef*>(o.data()), &n, reinterpret_cast<const Bytef*>(f.data()),
                static_cast<uLong>(f.size()), level) != Z_OK) {
    return f.size();
  }
  return n;
}

std::size_t Libdeflate(const std::string& f, int level) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(level);
  std::string o(libdeflate_gzip_compress_bound(c, f.size()), '\0');
  std::size_t n = libdeflate_gzip_compress(c, f.data(), f.size(), o.data(), o.size());
  libdeflate_free_compressor(c);
  return n == 0 ? f.size() : n;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    if (!s.str().empty()) files.push_back(s.str());
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: compress_levels FILE...\n");
    return 2;
  }
  std::printf("%zu files\n", files.size());
  auto row = [](const char* what, Figure f) {
    std::printf("  %-22s %8.3f ms/file  size %.3f of the original\n", what, f.ms_per_file, f.ratio);
  };
  row("dateline brotli", Measure(files, [](const std::string& f) { return dateline::http::BrotliCompress(f).size(); }));
  for (int q : {4, 5, 6, 7, 9, 11}) {
    std::string name = "brotli quality " + std::to_string(q);
    row(name.c_str(), Measure(files, [q](const std::string& f) { return Brotli(f, q); }));
  }
  row("dateline gzip", Measure(files, [](const std::string& f) { return dateline::http::GzipCompress(f).size(); }));
  for (int l : {1, 6, 9}) {
    std::string name = "zlib level " + std::to_string(l);
    row(name.c_str(), Measure(files, [l](const std::string& f) { return Zlib(f, l); }));
  }
  for (int l : {1, 3, 4, 5, 6}) {
    std::string name = "libdeflate level " + std::to_string(l);
    row(name.c_str(), Measure(files, [l](const std::string& f) { return Libdeflate(f, l); }));
  }
  return 0;
}
