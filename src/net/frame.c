/* stub: the framing scanner is built by the engine issue */
#include "config.h"
#include "quire/net.h"
