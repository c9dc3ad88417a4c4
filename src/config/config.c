/* stub: being written */
#include "config.h"
#include "quire/util.h"
