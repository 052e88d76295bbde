// libxml2 for Swift. ICU is switched off first so that this module does not clash
// with Foundation's own ICU copy in debug builds (see the project's notes).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlerror.h>

/// xmlFree is a global function pointer, which Swift 6 treats as shared mutable state.
static inline void vigil_xml_free(void *p) { xmlFree(p); }
