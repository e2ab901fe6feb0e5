#pragma once

#include <QStringList>

// Each clusterdeckctl sub-command: gets its own arguments (without the command name), returns the exit code.
namespace clusterdeck::ctl {

int runCheck(const QStringList &args);
int runStatus(const QStringList &args);
int runAlerts(const QStringList &args);
int runDiscover(const QStringList &args);
int runParse(const QStringList &args);
int runScrape(const QStringList &args);
int runBench(const QStringList &args);
int runRecord(const QStringList &args);
int runHistory(const QStringList &args);
int runBenchIngest(const QStringList &args);
int runBenchQuery(const QStringList &args);
int runKpis(const QStringList &args);
int runSsh(const QStringList &args);
int runConfig(const QStringList &args);
int runDrain(const QStringList &args);
int runReadmit(const QStringList &args);

} // namespace clusterdeck::ctl
