#pragma once

#include <QFrame>

class QLabel;

namespace clusterdeck {

// One headline figure (cluster TPS, worst p95, consumer lag, ...) with a colour that says whether it is fine.
class KpiTile : public QFrame {
    Q_OBJECT
public:
    enum class Level { Neutral, Good, Warning, Bad };

    explicit KpiTile(const QString &title, QWidget *parent = nullptr);

    void setValue(const QString &value, Level level = Level::Neutral, const QString &note = {});
    QString valueText() const;
    QString noteText() const;
    Level level() const { return m_level; }

private:
    QLabel *m_title;
    QLabel *m_value;
    QLabel *m_note;
    Level m_level = Level::Neutral;
};

} // namespace clusterdeck
