#pragma once

// The KPI catalogue beyond the row type of kpi.h: the limits that apply to a cluster (the catalogue's
// defaults with the inventory's `thresholds:` on top) and the catalogue as text for people (`clusterdeckctl
// kpis`, the KPI table of ARCHITECTURE.md §4, which a unit test keeps equal to kpiCatalogMarkdown()).

#include "metrics/kpi.h"

#include <QString>

namespace clusterdeck {

struct Cluster;

// The limit of `id` for `cluster`: the inventory's value where its `thresholds:` sets one for this KPI, else
// the catalogue's default; Direction::None when the KPI has no limit.
KpiThreshold thresholdFor(KpiId id, const Cluster &cluster);
// "> 3s", "< 1", "" (none), in the KPI's unit.
QString formatThreshold(KpiId id, const KpiThreshold &threshold);

// How a computation reads a scraped page, in words with the default metric names: "rate of
// `redis_commands_processed_total`".
QString describePageForm(const KpiCompute &compute, const KpiMapping &mapping = KpiMapping());

// The catalogue as a GitHub markdown table, one row per KPI (a gateway KPI shows HAProxy's and Caddy's
// forms); between the markers kpiTableBeginMarker() / kpiTableEndMarker() in ARCHITECTURE.md.
QString kpiCatalogMarkdown();
QString kpiTableBeginMarker();
QString kpiTableEndMarker();
// The catalogue as aligned plain text: id, role, unit, label, default limit, description.
QString kpiCatalogText();

} // namespace clusterdeck
