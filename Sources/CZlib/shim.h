// zlib (zlib1g-dev), for SPDY/3.1 header-block compression (`kubectl exec` from kubectl < 1.31).
#include <zlib.h>
