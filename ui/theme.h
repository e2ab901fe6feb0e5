#pragma once

#include <QPalette>
#include <QString>
#include <optional>

class QApplication;

namespace clusterdeck {

// The console's palettes: the system's by default (light or dark as the desktop says), or a light or dark
// Fusion palette forced with `clusterdeck --theme light|dark`.
enum class Theme { System, Light, Dark };

std::optional<Theme> themeFromName(const QString &name);
void applyTheme(QApplication &app, Theme theme);
// Dark when the window background is darker than its text: charts and tiles pick their colours from this.
bool isDark(const QPalette &palette);

} // namespace clusterdeck
