#include "kpi_tile.h"

#include "min_max_decimation.h"
#include "status_dot.h"

#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace clusterdeck {

// The tile's recent values as a thin line scaled to its own minimum and maximum (a trend, not a chart: the
// figure above is the exact value), each unbroken run decimated to the widget's pixel columns.
class KpiTile::Sparkline : public QWidget {
public:
    explicit Sparkline(QWidget *parent) : QWidget(parent)
    {
        setFixedHeight(22);
        setAttribute(Qt::WA_TransparentForMouseEvents);
    }

    void setPoints(const QList<QPointF> &points, double x0, double x1)
    {
        m_runs.clear();
        m_low = INFINITY;
        m_high = -INFINITY;
        bool open = false;
        for (const QPointF &point : points) {
            if (!std::isfinite(point.y())) {
                open = false;
                continue;
            }
            if (!open)
                m_runs.append(QList<QPointF>());
            open = true;
            m_runs.last().append(point);
            m_low = std::min(m_low, point.y());
            m_high = std::max(m_high, point.y());
        }
        m_x0 = x0;
        m_x1 = x1;
        update();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        if (m_runs.isEmpty() || m_x1 <= m_x0)
            return;
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        QColor color = palette().color(QPalette::Highlight);
        painter.setPen(QPen(color, 1.5));
        const QRectF area = QRectF(rect()).adjusted(1, 2, -1, -2);
        const double span = m_high > m_low ? m_high - m_low : 1.0;
        const double base = m_high > m_low ? m_low : m_low - 0.5;
        const auto at = [&](const QPointF &point) {
            return QPointF(area.left() + (point.x() - m_x0) / (m_x1 - m_x0) * area.width(),
                           area.bottom() - (point.y() - base) / span * area.height());
        };
        for (const QList<QPointF> &run : std::as_const(m_runs)) {
            const QList<QPointF> drawn = decimateMinMax(run, m_x0, m_x1, std::max(1, width()));
            if (drawn.size() == 1) {
                painter.setBrush(color);
                painter.drawEllipse(at(drawn.first()), 1.5, 1.5);
                continue;
            }
            QPolygonF line;
            line.reserve(drawn.size());
            for (const QPointF &point : drawn)
                line.append(at(point));
            painter.drawPolyline(line);
        }
    }

private:
    QList<QList<QPointF>> m_runs;
    double m_low = 0;
    double m_high = 0;
    double m_x0 = 0;
    double m_x1 = 0;
};

KpiTile::KpiTile(const QString &title, QWidget *parent)
    : QFrame(parent), m_title(new QLabel(title)), m_value(new QLabel(QStringLiteral("—"))),
      m_note(new QLabel), m_sparkline(new Sparkline(this))
{
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(110); // the row of tiles sets the overview's, and so the window's, minimum width
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(0);
    // Secondary text from the palette, readable on light and dark ones alike.
    m_title->setForegroundRole(QPalette::PlaceholderText);
    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.8);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_title);
    layout->addWidget(m_value);
    layout->addWidget(m_note);
    layout->addWidget(m_sparkline);
    m_sparkline->hide();
}

void KpiTile::setTrend(const QList<QPointF> &points, qint64 x0Ms, qint64 x1Ms)
{
    m_trend = points;
    m_sparkline->setPoints(points, double(x0Ms), double(x1Ms));
    m_sparkline->setVisible(!points.isEmpty());
}

void KpiTile::setValue(const QString &value, Level level, const QString &note)
{
    m_level = level;
    m_value->setText(value);
    m_note->setText(note);
    QColor color = palette().color(QPalette::WindowText);
    if (level == Level::Good)
        color = StatusDot::upColor();
    else if (level == Level::Warning)
        color = StatusDot::warnColor();
    else if (level == Level::Bad)
        color = StatusDot::downColor();
    m_value->setStyleSheet(QStringLiteral("color: %1").arg(color.name()));
}

QString KpiTile::valueText() const
{
    return m_value->text();
}

QString KpiTile::noteText() const
{
    return m_note->text();
}

} // namespace clusterdeck
