/* private to config */
#ifndef QUIRE_CONFIG_PRIV_H
#define QUIRE_CONFIG_PRIV_H
#include "quire/config.h"
#endif
