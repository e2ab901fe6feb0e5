#pragma once

#include "common/result.h"
#include "history/history_types.h"

#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QString>

namespace clusterdeck {

// A PromQL-style selector over recorded raw series: `name{label="v", l2!="v", l3=~"re", l4!~"re"}` (the name
// or the braces may be left out; regexes match the whole value, as in PromQL).
class SeriesSelector {
public:
    enum class Op { Equal, NotEqual, Match, NoMatch };
    struct Matcher {
        QString label;
        Op op = Op::Equal;
        QString value;
        QRegularExpression regex; // Match / NoMatch
    };

    static Result<SeriesSelector> parse(const QString &text);

    const QString &name() const { return m_name; }
    const QList<Matcher> &matchers() const { return m_matchers; }
    // `labels` as the store keeps them (k="v",... sorted, exposition escapes).
    bool matches(const QString &name, const QString &labels) const;

private:
    QString m_name;
    QList<Matcher> m_matchers;
};

// k="v",k2="v2" (the exposition writer's label text) back into pairs; escapes decoded.
QList<QPair<QString, QString>> parseLabelsText(const QString &text);

} // namespace clusterdeck
