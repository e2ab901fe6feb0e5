<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>HistorySession</name>
    <message>
        <location filename="../../ui/history_session.cpp" line="112"/>
        <source>Not recording: %1 is damaged — &lt;a href=&quot;move&quot;&gt;move it aside and start a new file&lt;/a&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history_session.cpp" line="115"/>
        <source>Not recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history_session.cpp" line="128"/>
        <source>Recording paused (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/history_session.cpp" line="133"/>
        <source>Recording to %1 · %2 · %3 samples/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TargetState</name>
    <message>
        <location filename="../../ui/target_state_style.cpp" line="14"/>
        <source>DEGRADED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/target_state_style.cpp" line="15"/>
        <source>UP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/target_state_style.cpp" line="17"/>
        <source>DOWN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/target_state_style.cpp" line="21"/>
        <source>UNKNOWN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>clusterdeck::ConsoleSession</name>
    <message>
        <location filename="../../ui/console_session.cpp" line="88"/>
        <source>%1 does not load — still watching the last good inventory (%2); fix it and save:
%3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>clusterdeck::EventLogModel</name>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="49"/>
        <source>info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="51"/>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="53"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="116"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="118"/>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="120"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="122"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>clusterdeck::MainWindow</name>
    <message>
        <location filename="../../ui/main_window.cpp" line="64"/>
        <source>Gateway responses per second by upstream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="65"/>
        <source>resp/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="66"/>
        <source>5xx error ratio by WAS node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="67"/>
        <source>ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="68"/>
        <source>Redis commands per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="69"/>
        <source>ops/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="70"/>
        <source>Redis memory used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="71"/>
        <source>bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="72"/>
        <source>Database queries per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="73"/>
        <source>q/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="74"/>
        <source>Database connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="75"/>
        <source>conns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="98"/>
        <source>%1 — ClusterDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="172"/>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="188"/>
        <source>KPIs from Prometheus at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="189"/>
        <source>KPIs scraped directly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="192"/>
        <source>source: Prometheus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="193"/>
        <source>source: direct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="195"/>
        <source>%1 · every %2 s · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="209"/>
        <source>waiting for Prometheus…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="216"/>
        <source>Prometheus answers in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.cpp" line="218"/>
        <source> · %n poll(s) skipped</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="220"/>
        <source>Last poll: %1 queries in %2 ms, %3 failed; %4 polls completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="250"/>
        <source>waiting for the first scrape…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="258"/>
        <source>Targets up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="259"/>
        <source>Cluster TPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="261"/>
        <source>Worst p95 (target %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="264"/>
        <source>Error ratio (5xx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="265"/>
        <source>Consumer lag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="271"/>
        <source>5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="271"/>
        <source>15 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="271"/>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="271"/>
        <source>6 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="273"/>
        <source>Time window of the charts (Alt+1 … Alt+4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="276"/>
        <source>Window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="288"/>
        <source>Requests per second by WAS node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="288"/>
        <source>req/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="291"/>
        <source>p95 latency by WAS node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="291"/>
        <source>s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="297"/>
        <source>target %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="298"/>
        <source>Consumer lag by group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="298"/>
        <source>msgs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="311"/>
        <source>limit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="432"/>
        <source>targets up %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="434"/>
        <source>no scrape yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="438"/>
        <source>last scrape %1 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="453"/>
        <source>updated %1 · every %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="563"/>
        <source>no offsets: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="564"/>
        <source>Messages not yet consumed, summed over the consumer groups with committed offsets (warning above %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="568"/>
        <source>Without a committed offset (lag unknown, not counted): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="577"/>
        <source>&lt;b&gt;Events&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="578"/>
        <source>&lt;b&gt;Events&lt;/b&gt; &lt;span style=&apos;color: gray&apos;&gt;(newest %1; %2 older dropped)&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="586"/>
        <source>%1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>clusterdeck::NodePage</name>
    <message>
        <location filename="../../ui/node_page.cpp" line="48"/>
        <source>per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="50"/>
        <source>seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="52"/>
        <source>ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="54"/>
        <source>count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="56"/>
        <source>bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="58"/>
        <source>state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="60"/>
        <source>0 / 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="116"/>
        <source>limit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="127"/>
        <source>waiting for the first health check…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="160"/>
        <source> · answered in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="163"/>
        <source> · checked %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>clusterdeck::NodeStatusModel</name>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="198"/>
        <source>no committed offset: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="385"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="387"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="389"/>
        <source>Key figures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="391"/>
        <source>Probe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="393"/>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>clusterdeck::Sidebar</name>
    <message>
        <location filename="../../ui/sidebar.cpp" line="23"/>
        <source>Filter targets (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>clusterdeck::WelcomePage</name>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="33"/>
        <source>Discover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="35"/>
        <source>Open a cluster — ClusterDeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="37"/>
        <source>&lt;h2&gt;ClusterDeck&lt;/h2&gt;Choose the cluster to watch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="42"/>
        <source>Recent — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="49"/>
        <source>Local lab cluster — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="54"/>
        <source>&lt;i&gt;The local lab is not running (tests/lab/lab up starts it).&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="55"/>
        <source>&lt;i&gt;The local lab is running (state in %1).&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="63"/>
        <source>Prometheus URL, e.g. http://prometheus:9090</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="64"/>
        <source>Discover from Prometheus:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="78"/>
        <source>Open file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="79"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="160"/>
        <source>Cluster inventory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="161"/>
        <source>Cluster files (*.yaml *.yml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="191"/>
        <source>&apos;%1&apos; is not an http(s) URL of a Prometheus server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="195"/>
        <source>&lt;i&gt;Asking %1 for its targets…&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="225"/>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
