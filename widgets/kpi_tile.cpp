#include "kpi_tile.h"

#include "status_dot.h"

#include <QLabel>
#include <QVBoxLayout>

namespace clusterdeck {

KpiTile::KpiTile(const QString &title, QWidget *parent)
    : QFrame(parent), m_title(new QLabel(title)), m_value(new QLabel(QStringLiteral("—"))), m_note(new QLabel)
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
