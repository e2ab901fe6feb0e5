#include "cluster/cluster_log.h"

namespace clusterdeck {

Q_LOGGING_CATEGORY(lcCluster, "clusterdeck.cluster")

} // namespace clusterdeck
