#pragma once

#include "cluster/cluster.h"
#include "metrics/collector.h"

#include <QCommandLineOption>
#include <QList>

namespace clusterdeck::ctl {

// Collection rounds for the one-shot commands (status, alerts): `count` rounds, the second onwards `gapMs`
// after the start of the one before (rates need two scrapes in direct mode). In Prometheus mode
// (cluster.metricsSource) the rounds decide reachability and each one's KPI points are a PromQL poll made
// right after it; a failed query is reported as a ScrapeFailure of the target "prometheus".
QList<CollectionRound> collectRounds(const Cluster &cluster, int count, int gapMs);

class CommandLine;

// `--source direct|prometheus`, the GUI's option (default: the file's `source:`).
QCommandLineOption metricsSourceOption();
// Loads --cluster FILE and applies --source (metricsSourceFromOption, the GUI's check); on a problem prints
// it on stderr and returns the error (the command exits 2). A bad metric_names override is one too.
Result<Cluster> loadClusterForRounds(const CommandLine &command, const QCommandLineOption &clusterOption,
                                     const QCommandLineOption &sourceOption);

// The gap between the rounds of status and alerts: one second, or the scrape interval if that is shorter.
int defaultRoundGapMs(const Cluster &cluster);

} // namespace clusterdeck::ctl
