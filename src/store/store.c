/* stub: the store is built by the store issue */
#include "config.h"
#include "quire/store.h"
