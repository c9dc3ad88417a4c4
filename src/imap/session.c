/* stub: the session thread is built by the engine issue */
#include "config.h"
#include "quire/imap.h"
