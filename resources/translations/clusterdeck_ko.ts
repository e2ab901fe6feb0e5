<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ko_KR">
<context>
    <name>HistorySession</name>
    <message>
        <location filename="../../ui/history_session.cpp" line="112" />
        <source>Not recording: %1 is damaged — &lt;a href="move"&gt;move it aside and start a new file&lt;/a&gt;</source>
        <translation>기록 안 함: %1 파일이 손상됨 — &lt;a href="move"&gt;옆으로 옮기고 새 파일 시작&lt;/a&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/history_session.cpp" line="115" />
        <source>Not recording</source>
        <translation>기록 안 함</translation>
    </message>
    <message>
        <location filename="../../ui/history_session.cpp" line="128" />
        <source>Recording paused (%1)</source>
        <translation>기록 일시 중지 (%1)</translation>
    </message>
    <message>
        <location filename="../../ui/history_session.cpp" line="133" />
        <source>Recording to %1 · %2 · %3 samples/s</source>
        <translation>%1에 기록 중 · %2 · 초당 %3 샘플</translation>
    </message>
</context>
<context>
    <name>TargetState</name>
    <message>
        <location filename="../../ui/target_state_style.cpp" line="14" />
        <source>DEGRADED</source>
        <translation>저하</translation>
    </message>
    <message>
        <location filename="../../ui/target_state_style.cpp" line="15" />
        <source>UP</source>
        <translation>정상</translation>
    </message>
    <message>
        <location filename="../../ui/target_state_style.cpp" line="17" />
        <source>DOWN</source>
        <translation>중단</translation>
    </message>
    <message>
        <location filename="../../ui/target_state_style.cpp" line="21" />
        <source>UNKNOWN</source>
        <translation>알 수 없음</translation>
    </message>
</context>
<context>
    <name>clusterdeck::ConsoleSession</name>
    <message>
        <location filename="../../ui/console_session.cpp" line="88" />
        <source>%1 does not load — still watching the last good inventory (%2); fix it and save:
%3</source>
        <translation>%1을(를) 읽을 수 없음 — 마지막 정상 인벤토리(%2)를 계속 감시합니다. 고친 뒤 저장하세요:
%3</translation>
    </message>
</context>
<context>
    <name>clusterdeck::EventLogModel</name>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="49" />
        <source>info</source>
        <translation>정보</translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="51" />
        <source>warning</source>
        <translation>경고</translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="53" />
        <source>error</source>
        <translation>오류</translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="116" />
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="118" />
        <source>Severity</source>
        <translation>심각도</translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="120" />
        <source>Source</source>
        <translation>출처</translation>
    </message>
    <message>
        <location filename="../../ui/models/event_log_model.cpp" line="122" />
        <source>Message</source>
        <translation>메시지</translation>
    </message>
</context>
<context>
    <name>clusterdeck::MainWindow</name>
    <message>
        <location filename="../../ui/main_window.cpp" line="64" />
        <source>Gateway responses per second by upstream</source>
        <translation>업스트림별 게이트웨이 초당 응답</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="65" />
        <source>resp/s</source>
        <translation>응답/초</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="66" />
        <source>5xx error ratio by WAS node</source>
        <translation>WAS 노드별 5xx 오류율</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="67" />
        <source>ratio</source>
        <translation>비율</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="68" />
        <source>Redis commands per second</source>
        <translation>Redis 초당 명령</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="69" />
        <source>ops/s</source>
        <translation>명령/초</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="70" />
        <source>Redis memory used</source>
        <translation>Redis 메모리 사용량</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="71" />
        <source>bytes</source>
        <translation>바이트</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="72" />
        <source>Database queries per second</source>
        <translation>데이터베이스 초당 쿼리</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="73" />
        <source>q/s</source>
        <translation>쿼리/초</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="74" />
        <source>Database connections</source>
        <translation>데이터베이스 연결</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="75" />
        <source>conns</source>
        <translation>연결</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="98" />
        <source>%1 — ClusterDeck</source>
        <translation>%1 — ClusterDeck</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="172" />
        <source>Overview</source>
        <translation>개요</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="188" />
        <source>KPIs from Prometheus at %1</source>
        <translation>%1 Prometheus의 KPI</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="189" />
        <source>KPIs scraped directly</source>
        <translation>직접 수집한 KPI</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="192" />
        <source>source: Prometheus</source>
        <translation>출처: Prometheus</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="193" />
        <source>source: direct</source>
        <translation>출처: 직접 수집</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="195" />
        <source>%1 · every %2 s · %3</source>
        <translation>%1 · %2초마다 · %3</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="209" />
        <source>waiting for Prometheus…</source>
        <translation>Prometheus 응답 대기 중…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="216" />
        <source>Prometheus answers in %1 ms</source>
        <translation>Prometheus 응답 %1 ms</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.cpp" line="218" />
        <source> · %n poll(s) skipped</source>
        <translation>
            <numerusform> · 폴링 %n회 건너뜀</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="220" />
        <source>Last poll: %1 queries in %2 ms, %3 failed; %4 polls completed</source>
        <translation>마지막 폴링: 쿼리 %1개, %2 ms, 실패 %3개; 완료된 폴링 %4회</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="250" />
        <source>waiting for the first scrape…</source>
        <translation>첫 수집을 기다리는 중…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="258" />
        <source>Targets up</source>
        <translation>정상 대상</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="259" />
        <source>Cluster TPS</source>
        <translation>클러스터 TPS</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="261" />
        <source>Worst p95 (target %1)</source>
        <translation>최악 p95 (목표 %1)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="264" />
        <source>Error ratio (5xx)</source>
        <translation>오류율 (5xx)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="265" />
        <source>Consumer lag</source>
        <translation>컨슈머 지연</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="271" />
        <source>5 min</source>
        <translation>5분</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="271" />
        <source>15 min</source>
        <translation>15분</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="271" />
        <source>1 hour</source>
        <translation>1시간</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="271" />
        <source>6 hours</source>
        <translation>6시간</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="273" />
        <source>Time window of the charts (Alt+1 … Alt+4)</source>
        <translation>차트의 시간 범위 (Alt+1 … Alt+4)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="276" />
        <source>Window:</source>
        <translation>범위:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="288" />
        <source>Requests per second by WAS node</source>
        <translation>WAS 노드별 초당 요청</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="288" />
        <source>req/s</source>
        <translation>요청/초</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="291" />
        <source>p95 latency by WAS node</source>
        <translation>WAS 노드별 p95 지연 시간</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="291" />
        <source>s</source>
        <translation>초</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="297" />
        <source>target %1</source>
        <translation>목표 %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="298" />
        <source>Consumer lag by group</source>
        <translation>그룹별 컨슈머 지연</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="298" />
        <source>msgs</source>
        <translation>메시지</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="311" />
        <source>limit %1</source>
        <translation>한도 %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="432" />
        <source>targets up %1/%2</source>
        <translation>정상 대상 %1/%2</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="434" />
        <source>no scrape yet</source>
        <translation>아직 수집 없음</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="438" />
        <source>last scrape %1 s ago</source>
        <translation>마지막 수집 %1초 전</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="453" />
        <source>updated %1 · every %2 s</source>
        <translation>%1 갱신 · %2초마다</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="563" />
        <source>no offsets: %1</source>
        <translation>오프셋 없음: %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="564" />
        <source>Messages not yet consumed, summed over the consumer groups with committed offsets (warning above %1).</source>
        <translation>아직 소비되지 않은 메시지, 커밋된 오프셋이 있는 컨슈머 그룹의 합계 (%1 초과 시 경고).</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="568" />
        <source>Without a committed offset (lag unknown, not counted): %1</source>
        <translation>커밋된 오프셋 없음 (지연 알 수 없음, 합계에서 제외): %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="577" />
        <source>&lt;b&gt;Events&lt;/b&gt;</source>
        <translation>&lt;b&gt;이벤트&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="578" />
        <source>&lt;b&gt;Events&lt;/b&gt; &lt;span style='color: gray'&gt;(newest %1; %2 older dropped)&lt;/span&gt;</source>
        <translation>&lt;b&gt;이벤트&lt;/b&gt; &lt;span style='color: gray'&gt;(최근 %1개; 이전 %2개 삭제됨)&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.cpp" line="586" />
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
</context>
<context>
    <name>clusterdeck::NodePage</name>
    <message>
        <location filename="../../ui/node_page.cpp" line="48" />
        <source>per second</source>
        <translation>초당</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="50" />
        <source>seconds</source>
        <translation>초</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="52" />
        <source>ratio</source>
        <translation>비율</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="54" />
        <source>count</source>
        <translation>개수</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="56" />
        <source>bytes</source>
        <translation>바이트</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="58" />
        <source>state</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="60" />
        <source>0 / 1</source>
        <translation>0 / 1</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="116" />
        <source>limit %1</source>
        <translation>한도 %1</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="127" />
        <source>waiting for the first health check…</source>
        <translation>첫 헬스 체크를 기다리는 중…</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="160" />
        <source> · answered in %1 ms</source>
        <translation> · %1 ms에 응답</translation>
    </message>
    <message>
        <location filename="../../ui/node_page.cpp" line="163" />
        <source> · checked %1</source>
        <translation> · %1 확인</translation>
    </message>
</context>
<context>
    <name>clusterdeck::NodeStatusModel</name>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="198" />
        <source>no committed offset: %1</source>
        <translation>커밋된 오프셋 없음: %1</translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="385" />
        <source>Target</source>
        <translation>대상</translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="387" />
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="389" />
        <source>Key figures</source>
        <translation>주요 수치</translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="391" />
        <source>Probe</source>
        <translation>프로브</translation>
    </message>
    <message>
        <location filename="../../ui/models/node_status_model.cpp" line="393" />
        <source>Detail</source>
        <translation>상세</translation>
    </message>
</context>
<context>
    <name>clusterdeck::Sidebar</name>
    <message>
        <location filename="../../ui/sidebar.cpp" line="23" />
        <source>Filter targets (Ctrl+F)</source>
        <translation>대상 필터 (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>clusterdeck::WelcomePage</name>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="33" />
        <source>Discover</source>
        <translation>검색</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="35" />
        <source>Open a cluster — ClusterDeck</source>
        <translation>클러스터 열기 — ClusterDeck</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="37" />
        <source>&lt;h2&gt;ClusterDeck&lt;/h2&gt;Choose the cluster to watch:</source>
        <translation>&lt;h2&gt;ClusterDeck&lt;/h2&gt;감시할 클러스터를 고르세요:</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="42" />
        <source>Recent — %1</source>
        <translation>최근 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="49" />
        <source>Local lab cluster — %1</source>
        <translation>로컬 랩 클러스터 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="54" />
        <source>&lt;i&gt;The local lab is not running (tests/lab/lab up starts it).&lt;/i&gt;</source>
        <translation>&lt;i&gt;로컬 랩이 실행 중이 아닙니다 (tests/lab/lab up 으로 시작).&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="55" />
        <source>&lt;i&gt;The local lab is running (state in %1).&lt;/i&gt;</source>
        <translation>&lt;i&gt;로컬 랩이 실행 중입니다 (상태: %1).&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="63" />
        <source>Prometheus URL, e.g. http://prometheus:9090</source>
        <translation>Prometheus URL, 예: http://prometheus:9090</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="64" />
        <source>Discover from Prometheus:</source>
        <translation>Prometheus에서 검색:</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="78" />
        <source>Open file…</source>
        <translation>파일 열기…</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="79" />
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="160" />
        <source>Cluster inventory</source>
        <translation>클러스터 인벤토리</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="161" />
        <source>Cluster files (*.yaml *.yml);;All files (*)</source>
        <translation>클러스터 파일 (*.yaml *.yml);;모든 파일 (*)</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="191" />
        <source>'%1' is not an http(s) URL of a Prometheus server</source>
        <translation>'%1'은(는) Prometheus 서버의 http(s) URL이 아닙니다</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="195" />
        <source>&lt;i&gt;Asking %1 for its targets…&lt;/i&gt;</source>
        <translation>&lt;i&gt;%1에 대상 목록을 묻는 중…&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../../ui/welcome_page.cpp" line="225" />
        <source>cannot write %1: %2</source>
        <translation>%1을(를) 쓸 수 없음: %2</translation>
    </message>
</context>
</TS>