// zlib for Swift: the HTML report deflates its rule details.
#include <zlib.h>
