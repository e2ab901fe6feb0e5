// placeholder, filled below
#include <QTest>
class TestHostileCtl : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestHostileCtl)
#include "tst_hostile_ctl.moc"
