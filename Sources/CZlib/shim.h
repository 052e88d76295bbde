// zlib for Swift: the HTML report deflates its rule details; gzip content is inflated.
#include <zlib.h>
