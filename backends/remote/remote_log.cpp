#include "remote/remote_log.h"

namespace clusterdeck {

Q_LOGGING_CATEGORY(lcRemote, "clusterdeck.remote")

} // namespace clusterdeck
