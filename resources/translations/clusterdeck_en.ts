<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>TargetState</name>
    <message numerus="yes">
        <source>DRAINING (sessions %n)</source>
        <translation>
            <numerusform>DRAINING (session %n)</numerusform>
            <numerusform>DRAINING (sessions %n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clusterdeck::AlertsPage</name>
    <message numerus="yes">
        <source>%n firing</source>
        <translation>
            <numerusform>%n firing</numerusform>
            <numerusform>%n firing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pending</numerusform>
            <numerusform>%n pending</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clusterdeck::DrainDialog</name>
    <message numerus="yes">
        <source>%n other healthy upstream(s) in rotation, min_healthy %1: %2</source>
        <translation>
            <numerusform>%n other healthy upstream in rotation, min_healthy %1: %2</numerusform>
            <numerusform>%n other healthy upstreams in rotation, min_healthy %1: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clusterdeck::MainWindow</name>
    <message numerus="yes">
        <source> · %n poll(s) skipped</source>
        <translation>
            <numerusform> · %n poll skipped</numerusform>
            <numerusform> · %n polls skipped</numerusform>
        </translation>
    </message>
</context>
</TS>
