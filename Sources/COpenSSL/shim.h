#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
