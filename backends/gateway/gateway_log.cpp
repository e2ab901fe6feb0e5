#include "gateway/gateway_log.h"

namespace clusterdeck {

Q_LOGGING_CATEGORY(lcGateway, "clusterdeck.gateway")

} // namespace clusterdeck
