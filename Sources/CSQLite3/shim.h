// The system's libsqlite3 for Swift: the rpminfo probe reads rpm's SQLite database
// (rpmdb.sqlite). The same library GRDB links for Vigil's own store.
#include <sqlite3.h>
