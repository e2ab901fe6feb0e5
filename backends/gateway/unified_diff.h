#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace clusterdeck {

// A unified diff of two versions of a text file whose differences lie in one region (what a config edit
// makes): one hunk from the first to the last differing line, with `context` lines around it.
struct UnifiedDiff {
    QString text;            // "--- a/NAME\n+++ b/NAME\n@@ ... @@\n..."; empty when the texts are equal
    QList<int> changedLines; // 1-based lines of the new text inside the hunk that are not in the old text
};

UnifiedDiff unifiedDiff(const QByteArray &oldText, const QByteArray &newText, const QString &fileName,
                        int context = 3);

} // namespace clusterdeck
