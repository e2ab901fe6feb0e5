#pragma once

#include <QDialog>

class QListWidget;
class QLabel;

namespace clusterdeck {

// First screen without --cluster: offers the local lab's clusters (when the lab is up) or any inventory file,
// and refuses files that do not validate, showing why.
class OpenClusterDialog : public QDialog {
    Q_OBJECT
public:
    explicit OpenClusterDialog(QWidget *parent = nullptr);

    QString selectedPath() const { return m_selectedPath; }
    // Where `tests/lab/lab up` writes its cluster files.
    static QString labDirectory();

private:
    void chooseFile();
    void accept() override;
    bool tryAccept(const QString &path);

    QListWidget *m_choices;
    QLabel *m_error;
    QString m_selectedPath;
};

} // namespace clusterdeck

// app/gui/main.cpp names this unqualified; drop this line once it says clusterdeck::OpenClusterDialog.
using clusterdeck::OpenClusterDialog;
