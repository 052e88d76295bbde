// zstd for Swift: image layers compressed with zstd are decompressed as they stream.
#include <zstd.h>
