// libbz2 for Swift: bzip2-compressed content (`.xml.bz2`), which oscap also reads.
#include <bzlib.h>
