#pragma once

#include <QFrame>
#include <QList>
#include <QPointF>

class QLabel;

namespace clusterdeck {

// One headline figure (cluster TPS, worst p95, consumer lag, ...) with a colour that says whether it is fine,
// and a sparkline of its recent values under it.
class KpiTile : public QFrame {
    Q_OBJECT
public:
    enum class Level { Neutral, Good, Warning, Bad };

    explicit KpiTile(const QString &title, QWidget *parent = nullptr);

    void setValue(const QString &value, Level level = Level::Neutral, const QString &note = {});
    QString valueText() const;
    QString noteText() const;
    Level level() const { return m_level; }
    // The sparkline: (epoch ms, value) in time order over the window [x0, x1]; a NaN value is a gap. Empty
    // hides it.
    void setTrend(const QList<QPointF> &points, qint64 x0Ms, qint64 x1Ms);
    const QList<QPointF> &trend() const { return m_trend; }

private:
    class Sparkline;
    QLabel *m_title;
    QLabel *m_value;
    QLabel *m_note;
    Sparkline *m_sparkline;
    QList<QPointF> m_trend;
    Level m_level = Level::Neutral;
};

} // namespace clusterdeck
