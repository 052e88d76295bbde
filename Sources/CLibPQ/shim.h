// libpq, PostgreSQL's C client (Debian libpq-dev): the PostgreSQL back end of Vigil's
// store. It gives psql's connection URIs, TLS (sslmode, sslrootcert, PGSSL*) and ~/.pgpass.
#include <libpq-fe.h>
