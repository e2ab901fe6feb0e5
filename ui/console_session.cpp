#include "console_session.h"

#include "cluster/inventory_watcher.h"
#include "console_settings.h"
#include "main_window.h"

#include <QDockWidget>
#include <QGuiApplication>
#include <QLabel>
#include <QSettings>

namespace clusterdeck {

ConsoleSession::ConsoleSession(const QString &path, const Cluster &cluster, QSettings &settings,
                               Adjust adjust, QObject *parent)
    : QObject(parent), m_path(path), m_settings(settings), m_adjust(std::move(adjust)),
      m_watcher(new InventoryWatcher(path, cluster, this))
{
    ConsoleSettings::noteOpened(m_settings, path);
    connect(m_watcher, &InventoryWatcher::reloaded, this, [this](const Cluster &next) { openWindow(next); });
    connect(m_watcher, &InventoryWatcher::problemsChanged, this, &ConsoleSession::showProblems);
    openWindow(cluster);
}

ConsoleSession::~ConsoleSession()
{
    saveWindow();
}

void ConsoleSession::saveWindow()
{
    if (m_window) {
        ConsoleSettings::saveWindow(m_settings, *m_window);
        ConsoleSettings::setTimeWindowMs(m_settings, m_window->timeWindowMs());
    }
}

QString ConsoleSession::problemsText() const
{
    return m_problems && m_problemsDock->isVisibleTo(m_window.get()) ? m_problems->text() : QString();
}

bool ConsoleSession::problemsShown() const
{
    return m_problemsDock && m_problemsDock->isVisibleTo(m_window.get());
}

void ConsoleSession::openWindow(const Cluster &cluster)
{
    const bool wasVisible = m_window && m_window->isVisible();
    saveWindow();
    // The old window goes first: its collector and history recorder must stop before the new window's start
    // on the same history file. Meanwhile no window is open, which must not end the application.
    const bool quitOnClose = QGuiApplication::quitOnLastWindowClosed();
    QGuiApplication::setQuitOnLastWindowClosed(false);
    m_window.reset();
    auto next = std::make_unique<MainWindow>(m_adjust ? m_adjust(cluster) : cluster);
    ConsoleSettings::restoreWindow(m_settings, *next);
    if (const qint64 windowMs = ConsoleSettings::timeWindowMs(m_settings); windowMs > 0)
        next->setTimeWindowMs(windowMs);

    m_problemsDock = new QDockWidget(next.get());
    m_problemsDock->setObjectName(QStringLiteral("inventoryProblems"));
    m_problemsDock->setFeatures(QDockWidget::NoDockWidgetFeatures);
    m_problemsDock->setTitleBarWidget(new QWidget(m_problemsDock));
    m_problems = new QLabel(m_problemsDock);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems->setMargin(8);
    m_problems->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_problems->setStyleSheet(QStringLiteral("background: #fdecea; color: #b71c1c"));
    m_problemsDock->setWidget(m_problems);
    next->addDockWidget(Qt::TopDockWidgetArea, m_problemsDock);
    m_problemsDock->hide();

    if (wasVisible)
        next->show();
    m_window = std::move(next);
    QGuiApplication::setQuitOnLastWindowClosed(quitOnClose);
    emit windowReplaced();
    showProblems(m_watcher->problems());
}

void ConsoleSession::showProblems(const QList<InventoryProblem> &problems)
{
    if (problems.isEmpty()) {
        m_problemsDock->hide();
        m_problems->clear();
        return;
    }
    m_problems->setText(
        tr("%1 does not load — still watching the last good inventory (%2); fix it and save:\n%3")
            .arg(m_path, m_watcher->lastGood().name, formatProblems(m_path, problems)));
    // As tall as its text: the top dock area would otherwise take a share of the window's height.
    const int height = m_problems->heightForWidth(m_window->width());
    m_problemsDock->setMaximumHeight(height > 0 ? height : m_problems->sizeHint().height());
    m_problemsDock->show();
}

} // namespace clusterdeck
