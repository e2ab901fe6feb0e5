<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>HistorySession</name>
    <message>
        <source>Not recording: %1 is damaged — &lt;a href=&quot;move&quot;&gt;move it aside and start a new file&lt;/a&gt;</source>
        <translation>기록 안 함: %1 파일이 손상됨 — &lt;a href=&quot;move&quot;&gt;옆으로 옮기고 새 파일 시작&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Not recording</source>
        <translation>기록 안 함</translation>
    </message>
    <message>
        <source>Recording paused (%1)</source>
        <translation>기록 일시 중지 (%1)</translation>
    </message>
    <message>
        <source>Recording to %1 · %2 · %3 samples/s</source>
        <translation>%1에 기록 중 · %2 · 초당 %3 샘플</translation>
    </message>
</context>
<context>
    <name>TargetState</name>
    <message>
        <source>DEGRADED</source>
        <translation>저하</translation>
    </message>
    <message>
        <source>UP</source>
        <translation>정상</translation>
    </message>
    <message>
        <source>DOWN</source>
        <translation>중단</translation>
    </message>
    <message>
        <source>UNKNOWN</source>
        <translation>알 수 없음</translation>
    </message>
    <message>
        <source>DRAINING</source>
        <translation>드레인 중</translation>
    </message>
    <message>
        <source>DRAINED</source>
        <translation>드레인됨</translation>
    </message>
    <message>
        <source>MAINT</source>
        <translation>점검</translation>
    </message>
    <message numerus="yes">
        <source>DRAINING (sessions %n)</source>
        <translation>
            <numerusform>드레인 중 (세션 %n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clusterdeck::AlertListModel</name>
    <message>
        <source>%1 (no data)</source>
        <translation>%1 (데이터 없음)</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>심각도</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>규칙</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>대상</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>임계값</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>시작</translation>
    </message>
</context>
<context>
    <name>clusterdeck::AlertNotifier</name>
    <message>
        <source>%1: %2 firing on %3</source>
        <translation>%1: %3에서 %2 발생 중</translation>
    </message>
    <message>
        <source>%1: %2 resolved on %3</source>
        <translation>%1: %3의 %2 해결됨</translation>
    </message>
    <message>
        <source>%1 (limit %2)</source>
        <translation>%1 (한도 %2)</translation>
    </message>
    <message>
        <source>since %1</source>
        <translation>%1부터</translation>
    </message>
    <message>
        <source>ClusterDeck — %1</source>
        <translation>ClusterDeck — %1</translation>
    </message>
</context>
<context>
    <name>clusterdeck::AlertText</name>
    <message>
        <source>critical</source>
        <translation>위험</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>경고</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>비활성</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>firing</source>
        <translation>발생 중</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>해결됨</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>해제됨</translation>
    </message>
    <message>
        <source>%1 (limit %2)</source>
        <translation>%1 (한도 %2)</translation>
    </message>
    <message>
        <source>%1: %2 %3 (since %4)</source>
        <translation>%1: %2 %3 (%4부터)</translation>
    </message>
    <message>
        <source>%1: %2 %3: %4 (since %5)</source>
        <translation>%1: %2 %3: %4 (%5부터)</translation>
    </message>
    <message>
        <source>not enough observations with a committed offset yet</source>
        <translation>커밋된 오프셋이 있는 관측이 아직 부족함</translation>
    </message>
    <message>
        <source>the consumer keeps up</source>
        <translation>컨슈머가 따라잡고 있음</translation>
    </message>
    <message>
        <source>offsets move, but the lag grew over every interval</source>
        <translation>오프셋은 움직이지만 모든 구간에서 지연이 늘어남</translation>
    </message>
    <message>
        <source>the consumer is connected but its offset stands still</source>
        <translation>컨슈머는 연결되어 있지만 오프셋이 멈춰 있음</translation>
    </message>
    <message>
        <source>no consumer is running for the group</source>
        <translation>그룹에서 실행 중인 컨슈머가 없음</translation>
    </message>
</context>
<context>
    <name>clusterdeck::AlertsPage</name>
    <message>
        <source>Alerts</source>
        <translation>알림</translation>
    </message>
    <message>
        <source>Alerts (%1)</source>
        <translation>알림 (%1)</translation>
    </message>
    <message>
        <source>No alerts firing or pending</source>
        <translation>발생 중이거나 대기 중인 알림 없음</translation>
    </message>
    <message numerus="yes">
        <source>%n firing</source>
        <translation>
            <numerusform>%n개 발생 중</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n개 대기 중</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>clusterdeck::ConsoleSession</name>
    <message>
        <source>%1 does not load — still watching the last good inventory (%2); fix it and save:
%3</source>
        <translation>%1을(를) 읽을 수 없음 — 마지막 정상 인벤토리(%2)를 계속 감시합니다. 고친 뒤 저장하세요:
%3</translation>
    </message>
</context>
<context>
    <name>clusterdeck::DrainDialog</name>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>건너뜀</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Drain %1</source>
        <translation>%1 드레인</translation>
    </message>
    <message>
        <source>Readmit %1</source>
        <translation>%1 재투입</translation>
    </message>
    <message>
        <source>Force: drain even if fewer than %1 healthy upstream(s) would stay in rotation (min_healthy)</source>
        <translation>강제: 로테이션에 남는 정상 업스트림이 %1개보다 적어져도 드레인 (min_healthy)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>Start drain</source>
        <translation>드레인 시작</translation>
    </message>
    <message>
        <source>Start readmit</source>
        <translation>재투입 시작</translation>
    </message>
    <message>
        <source>Config change:</source>
        <translation>설정 변경:</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 gateways in the cluster&lt;/b&gt;: the console drains through a cluster&apos;s only gateway; use &lt;tt&gt;clusterdeckctl drain --gateway NAME&lt;/tt&gt;.</source>
        <translation>&lt;b&gt;클러스터에 게이트웨이 %1개&lt;/b&gt;: 콘솔은 게이트웨이가 하나인 클러스터에서만 드레인합니다. &lt;tt&gt;clusterdeckctl drain --gateway NAME&lt;/tt&gt;을 사용하세요.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (upstream &lt;tt&gt;%2&lt;/tt&gt;) %3 gateway &lt;b&gt;%4&lt;/b&gt; (%5, config &lt;tt&gt;%6&lt;/tt&gt;, via %7).</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (업스트림 &lt;tt&gt;%2&lt;/tt&gt;): 게이트웨이 &lt;b&gt;%4&lt;/b&gt; (%5, 설정 &lt;tt&gt;%6&lt;/tt&gt;, 경유 %7)의 %3.</translation>
    </message>
    <message>
        <source>leaves the rotation of</source>
        <translation>로테이션에서 빠짐</translation>
    </message>
    <message>
        <source>returns to the rotation of</source>
        <translation>로테이션으로 복귀</translation>
    </message>
    <message>
        <source>HAProxy: &lt;tt&gt;set server %1/%2 state drain&lt;/tt&gt; on the admin socket (no reload, no request lost), then &lt;tt&gt;disabled&lt;/tt&gt; on its server line in the file (validated, backed up), then a wait until its sessions reach 0.</source>
        <translation>HAProxy: 관리 소켓에 &lt;tt&gt;set server %1/%2 state drain&lt;/tt&gt; (리로드 없음, 요청 손실 없음), 다음으로 설정 파일의 server 줄에 &lt;tt&gt;disabled&lt;/tt&gt; 추가 (검증, 백업), 그다음 세션이 0이 될 때까지 대기.</translation>
    </message>
    <message>
        <source>HAProxy: &lt;tt&gt;set server %1/%2 state ready&lt;/tt&gt; on the admin socket, &lt;tt&gt;disabled&lt;/tt&gt; removed from its server line (validated, backed up), then a wait until its health check passes and traffic reaches it.</source>
        <translation>HAProxy: 관리 소켓에 &lt;tt&gt;set server %1/%2 state ready&lt;/tt&gt;, server 줄에서 &lt;tt&gt;disabled&lt;/tt&gt; 제거 (검증, 백업), 그다음 헬스 체크를 통과하고 트래픽이 들어올 때까지 대기.</translation>
    </message>
    <message>
        <source>Caddy has no per-upstream switch: the upstream&apos;s line in the Caddyfile is %1 and Caddy &lt;b&gt;loads the whole config once&lt;/b&gt; (&lt;tt&gt;%2&lt;/tt&gt;). A load can drop a few requests in flight on the gateway; prefer a quiet moment.</source>
        <translation>Caddy에는 업스트림별 스위치가 없습니다: Caddyfile의 업스트림 줄이 %1 Caddy가 &lt;b&gt;전체 설정을 한 번 다시 읽습니다&lt;/b&gt; (&lt;tt&gt;%2&lt;/tt&gt;). 설정을 읽는 동안 처리 중인 요청 몇 개가 끊길 수 있으니 한가한 시간에 하세요.</translation>
    </message>
    <message>
        <source>commented out with a clusterdeck:drained marker</source>
        <translation>clusterdeck:drained 표시와 함께 주석 처리되고</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>복원되고</translation>
    </message>
    <message>
        <source>Any failure rolls back what was done, newest first.</source>
        <translation>실패하면 한 일을 최근 것부터 되돌립니다.</translation>
    </message>
    <message>
        <source>Running… the console keeps working; this dialog closes when the job is finished.</source>
        <translation>실행 중… 콘솔은 계속 동작합니다. 작업이 끝나면 이 창을 닫을 수 있습니다.</translation>
    </message>
    <message>
        <source>Sessions remaining on %1: %2</source>
        <translation>%1에 남은 세션: %2</translation>
    </message>
    <message>
        <source>Requests on %1: %2</source>
        <translation>%1의 요청: %2</translation>
    </message>
    <message>
        <source>rolled back</source>
        <translation>되돌림</translation>
    </message>
    <message>
        <source>Finished: %1</source>
        <translation>완료: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>실패: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>경고: %1</translation>
    </message>
    <message>
        <source>Recorded in the history.</source>
        <translation>이력에 기록했습니다.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>다시 확인</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>The planned config diff appears here once the pre-check has read the file.</source>
        <translation>사전 점검이 파일을 읽으면 계획된 설정 변경(diff)이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Run the pre-check again: read the config and the runtime state, change nothing</source>
        <translation>사전 점검을 다시 실행: 설정과 런타임 상태를 읽기만 하고 아무것도 바꾸지 않음</translation>
    </message>
    <message>
        <source>Stop the job: before or during the pre-check, runtime or persist step what was done is rolled back; during a drain&apos;s wait the node stays drained; during a readmit&apos;s wait it is rolled back</source>
        <translation>작업 중지: 사전 점검, 런타임, 저장 단계 전이나 도중이면 한 일을 되돌리고, 드레인 대기 중이면 노드는 드레인된 채로 두며, 재투입 대기 중이면 되돌립니다</translation>
    </message>
    <message>
        <source>Planning: reading %1 and the gateway&apos;s runtime state (nothing changes)…</source>
        <translation>계획 중: %1 파일과 게이트웨이 런타임 상태를 읽는 중 (아무것도 바뀌지 않음)…</translation>
    </message>
    <message numerus="yes">
        <source>%n other healthy upstream(s) in rotation, min_healthy %1: %2</source>
        <translation>
            <numerusform>로테이션에 다른 정상 업스트림 %n개, min_healthy %1: %2</numerusform>
        </translation>
    </message>
    <message>
        <source>REFUSED (Force overrides)</source>
        <translation>거부됨 (강제로 무시 가능)</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>정상</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pre-check passed&lt;/b&gt; (read-only; nothing changed yet): %1</source>
        <translation>&lt;b&gt;사전 점검 통과&lt;/b&gt; (읽기 전용, 아직 바뀐 것 없음): %1</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#d32f2f&apos;&gt;Pre-check refused&lt;/b&gt;: %1</source>
        <translation>&lt;b style=&apos;color:#d32f2f&apos;&gt;사전 점검 거부&lt;/b&gt;: %1</translation>
    </message>
    <message>
        <source>Config sha256 &lt;tt&gt;%1&lt;/tt&gt;; Start refuses the file if it changes before then.</source>
        <translation>설정 sha256 &lt;tt&gt;%1&lt;/tt&gt;; 시작 전에 파일이 바뀌면 시작이 거부됩니다.</translation>
    </message>
    <message>
        <source>Cancelling… before the wait the job stops at the next step and rolls back; during the wait it stops waiting and %1 stays drained.</source>
        <translation>취소 중… 대기 전이면 다음 단계에서 멈추고 되돌리며, 대기 중이면 대기를 멈추고 %1은(는) 드레인된 채로 남습니다.</translation>
    </message>
    <message>
        <source>Cancelling… the job stops at the next step and rolls back; %1 stays out of rotation.</source>
        <translation>취소 중… 다음 단계에서 멈추고 되돌립니다. %1은(는) 로테이션 밖에 남습니다.</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>취소됨: %1</translation>
    </message>
</context>
<context>
    <name>clusterdeck::EventLogModel</name>
    <message>
        <source>info</source>
        <translation>정보</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>경고</translation>
    </message>
    <message>
        <source>error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>심각도</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>출처</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
</context>
<context>
    <name>clusterdeck::GatewayRotationPoller</name>
    <message>
        <source>%1: cannot read Caddy&apos;s rotation: %2</source>
        <translation>%1: Caddy 로테이션을 읽을 수 없음: %2</translation>
    </message>
</context>
<context>
    <name>clusterdeck::LiveChart</name>
    <message>
        <source>total</source>
        <translation>합계</translation>
    </message>
</context>
<context>
    <name>clusterdeck::MainWindow</name>
    <message>
        <source>resp/s</source>
        <translation>응답/초</translation>
    </message>
    <message>
        <source>5xx error ratio by WAS node</source>
        <translation>WAS 노드별 5xx 오류율</translation>
    </message>
    <message>
        <source>ratio</source>
        <translation>비율</translation>
    </message>
    <message>
        <source>Redis commands per second</source>
        <translation>Redis 초당 명령</translation>
    </message>
    <message>
        <source>ops/s</source>
        <translation>명령/초</translation>
    </message>
    <message>
        <source>Redis memory used</source>
        <translation>Redis 메모리 사용량</translation>
    </message>
    <message>
        <source>Database queries per second</source>
        <translation>데이터베이스 초당 쿼리</translation>
    </message>
    <message>
        <source>q/s</source>
        <translation>쿼리/초</translation>
    </message>
    <message>
        <source>Database connections</source>
        <translation>데이터베이스 연결</translation>
    </message>
    <message>
        <source>conns</source>
        <translation>연결</translation>
    </message>
    <message>
        <source>%1 — ClusterDeck</source>
        <translation>%1 — ClusterDeck</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>개요</translation>
    </message>
    <message>
        <source>KPIs from Prometheus at %1</source>
        <translation>%1 Prometheus의 KPI</translation>
    </message>
    <message>
        <source>KPIs scraped directly</source>
        <translation>직접 수집한 KPI</translation>
    </message>
    <message>
        <source>source: Prometheus</source>
        <translation>출처: Prometheus</translation>
    </message>
    <message>
        <source>source: direct</source>
        <translation>출처: 직접 수집</translation>
    </message>
    <message>
        <source>%1 · every %2 s · %3</source>
        <translation>%1 · %2초마다 · %3</translation>
    </message>
    <message>
        <source>waiting for Prometheus…</source>
        <translation>Prometheus 응답 대기 중…</translation>
    </message>
    <message>
        <source>Prometheus answers in %1 ms</source>
        <translation>Prometheus 응답 %1 ms</translation>
    </message>
    <message numerus="yes">
        <source> · %n poll(s) skipped</source>
        <translation>
            <numerusform> · 폴링 %n회 건너뜀</numerusform>
        </translation>
    </message>
    <message>
        <source>Last poll: %1 queries in %2 ms, %3 failed; %4 polls completed</source>
        <translation>마지막 폴링: 쿼리 %1개, %2 ms, 실패 %3개; 완료된 폴링 %4회</translation>
    </message>
    <message>
        <source>waiting for the first scrape…</source>
        <translation>첫 수집을 기다리는 중…</translation>
    </message>
    <message>
        <source>Targets up</source>
        <translation>정상 대상</translation>
    </message>
    <message>
        <source>Cluster TPS</source>
        <translation>클러스터 TPS</translation>
    </message>
    <message>
        <source>Worst p95 (target %1)</source>
        <translation>최악 p95 (목표 %1)</translation>
    </message>
    <message>
        <source>Error ratio (5xx)</source>
        <translation>오류율 (5xx)</translation>
    </message>
    <message>
        <source>Consumer lag</source>
        <translation>컨슈머 지연</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5분</translation>
    </message>
    <message>
        <source>15 min</source>
        <translation>15분</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1시간</translation>
    </message>
    <message>
        <source>6 hours</source>
        <translation>6시간</translation>
    </message>
    <message>
        <source>Time window of the charts (Alt+1 … Alt+4)</source>
        <translation>차트의 시간 범위 (Alt+1 … Alt+4)</translation>
    </message>
    <message>
        <source>Window:</source>
        <translation>범위:</translation>
    </message>
    <message>
        <source>Requests per second by WAS node</source>
        <translation>WAS 노드별 초당 요청</translation>
    </message>
    <message>
        <source>req/s</source>
        <translation>요청/초</translation>
    </message>
    <message>
        <source>s</source>
        <translation>초</translation>
    </message>
    <message>
        <source>target %1</source>
        <translation>목표 %1</translation>
    </message>
    <message>
        <source>Consumer lag by group</source>
        <translation>그룹별 컨슈머 지연</translation>
    </message>
    <message>
        <source>msgs</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>한도 %1</translation>
    </message>
    <message>
        <source>targets up %1/%2</source>
        <translation>정상 대상 %1/%2</translation>
    </message>
    <message>
        <source>no scrape yet</source>
        <translation>아직 수집 없음</translation>
    </message>
    <message>
        <source>last scrape %1 s ago</source>
        <translation>마지막 수집 %1초 전</translation>
    </message>
    <message>
        <source>updated %1 · every %2 s</source>
        <translation>%1 갱신 · %2초마다</translation>
    </message>
    <message>
        <source>no offsets: %1</source>
        <translation>오프셋 없음: %1</translation>
    </message>
    <message>
        <source>Messages not yet consumed, summed over the consumer groups with committed offsets (warning above %1).</source>
        <translation>아직 소비되지 않은 메시지, 커밋된 오프셋이 있는 컨슈머 그룹의 합계 (%1 초과 시 경고).</translation>
    </message>
    <message>
        <source>Without a committed offset (lag unknown, not counted): %1</source>
        <translation>커밋된 오프셋 없음 (지연 알 수 없음, 합계에서 제외): %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Events&lt;/b&gt;</source>
        <translation>&lt;b&gt;이벤트&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Events&lt;/b&gt; &lt;span style=&apos;color: gray&apos;&gt;(newest %1; %2 older dropped)&lt;/span&gt;</source>
        <translation>&lt;b&gt;이벤트&lt;/b&gt; &lt;span style=&apos;color: gray&apos;&gt;(최근 %1개; 이전 %2개 삭제됨)&lt;/span&gt;</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Lag status per group:</source>
        <translation>그룹별 지연 상태:</translation>
    </message>
    <message>
        <source>%1: %2 (lag %3): %4</source>
        <translation>%1: %2 (지연 %3): %4</translation>
    </message>
    <message>
        <source>Gateway responses per second, stacked by upstream</source>
        <translation>업스트림별 게이트웨이 초당 응답 (누적)</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>WAS latency p50 / p95 / p99 by node</source>
        <translation>노드별 WAS 지연 시간 p50 / p95 / p99</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Drain…</source>
        <translation>드레인…</translation>
    </message>
    <message>
        <source>Readmit %1…</source>
        <translation>%1 재투입…</translation>
    </message>
    <message>
        <source>Drain %1…</source>
        <translation>%1 드레인…</translation>
    </message>
    <message>
        <source>Take %1 out of the gateway&apos;s rotation, or put it back (a dialog shows the plan first)</source>
        <translation>%1을(를) 게이트웨이 로테이션에서 빼거나 다시 넣습니다 (먼저 계획을 보여 줍니다)</translation>
    </message>
    <message>
        <source>Select a WAS node to drain or readmit it</source>
        <translation>드레인하거나 재투입할 WAS 노드를 선택하세요</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>clusterdeck::NodePage</name>
    <message>
        <source>per second</source>
        <translation>초당</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>초</translation>
    </message>
    <message>
        <source>ratio</source>
        <translation>비율</translation>
    </message>
    <message>
        <source>count</source>
        <translation>개수</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>바이트</translation>
    </message>
    <message>
        <source>state</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>0 / 1</source>
        <translation>0 / 1</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>한도 %1</translation>
    </message>
    <message>
        <source>waiting for the first health check…</source>
        <translation>첫 헬스 체크를 기다리는 중…</translation>
    </message>
    <message>
        <source> · answered in %1 ms</source>
        <translation> · %1 ms에 응답</translation>
    </message>
    <message>
        <source> · checked %1</source>
        <translation> · %1 확인</translation>
    </message>
    <message>
        <source>Drain…</source>
        <translation>드레인…</translation>
    </message>
    <message>
        <source>Take this node out of the gateway&apos;s rotation (runtime and config file)</source>
        <translation>이 노드를 게이트웨이 로테이션에서 뺍니다 (런타임과 설정 파일)</translation>
    </message>
    <message>
        <source>Readmit…</source>
        <translation>재투입…</translation>
    </message>
    <message>
        <source>Put this node back into the gateway&apos;s rotation</source>
        <translation>이 노드를 게이트웨이 로테이션에 다시 넣습니다</translation>
    </message>
    <message>
        <source>KPIs</source>
        <translation>KPI</translation>
    </message>
    <message>
        <source>Raw metrics</source>
        <translation>원시 메트릭</translation>
    </message>
    <message>
        <source>Filter by metric name…</source>
        <translation>메트릭 이름으로 필터…</translation>
    </message>
    <message>
        <source>Filter by label (name=value)…</source>
        <translation>레이블로 필터 (이름=값)…</translation>
    </message>
    <message>
        <source>Chart series</source>
        <translation>시리즈 차트</translation>
    </message>
    <message>
        <source>Chart the selected series over time (or double-click a row)</source>
        <translation>선택한 시리즈를 시간에 따라 차트로 표시 (또는 행을 더블클릭)</translation>
    </message>
    <message>
        <source>Clear chart</source>
        <translation>차트 지우기</translation>
    </message>
    <message>
        <source>Double-click a series (or select rows and press Chart series) to chart it over time while this page is open.</source>
        <translation>시리즈를 더블클릭하면 (또는 행을 선택하고 시리즈 차트를 누르면) 이 페이지가 열려 있는 동안 시간에 따라 차트로 표시합니다.</translation>
    </message>
    <message>
        <source>Picked series (raw values; double-click a row to add one)</source>
        <translation>선택한 시리즈 (원시 값; 행을 더블클릭해 추가)</translation>
    </message>
    <message>
        <source>value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>waiting for the next scrape…</source>
        <translation>다음 수집을 기다리는 중…</translation>
    </message>
    <message>
        <source>%1 of %2 series · scraped %3</source>
        <translation>시리즈 %2개 중 %1개 · %3 수집</translation>
    </message>
</context>
<context>
    <name>clusterdeck::NodeStatusModel</name>
    <message>
        <source>no committed offset: %1</source>
        <translation>커밋된 오프셋 없음: %1</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>대상</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Key figures</source>
        <translation>주요 수치</translation>
    </message>
    <message>
        <source>Probe</source>
        <translation>프로브</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>상세</translation>
    </message>
    <message>
        <source>Gateways</source>
        <translation>게이트웨이</translation>
    </message>
    <message>
        <source>%1/%2 up</source>
        <translation>%1/%2 정상</translation>
    </message>
    <message>
        <source>sessions </source>
        <translation>세션 </translation>
    </message>
    <message>
        <source>err </source>
        <translation>오류 </translation>
    </message>
    <message>
        <source>pool </source>
        <translation>풀 </translation>
    </message>
    <message>
        <source>ops </source>
        <translation>명령 </translation>
    </message>
    <message>
        <source>hit </source>
        <translation>적중 </translation>
    </message>
    <message>
        <source>clients </source>
        <translation>클라이언트 </translation>
    </message>
    <message>
        <source>lag </source>
        <translation>지연 </translation>
    </message>
    <message>
        <source>consumed </source>
        <translation>소비 </translation>
    </message>
    <message>
        <source>queries </source>
        <translation>쿼리 </translation>
    </message>
    <message>
        <source>conn </source>
        <translation>연결 </translation>
    </message>
    <message>
        <source>running </source>
        <translation>실행 </translation>
    </message>
    <message>
        <source>checked %1</source>
        <translation>%1 확인</translation>
    </message>
</context>
<context>
    <name>clusterdeck::RawMetricsModel</name>
    <message>
        <source>Metric</source>
        <translation>메트릭</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>레이블</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>유형</translation>
    </message>
</context>
<context>
    <name>clusterdeck::RoleTitle</name>
    <message>
        <source>WAS nodes</source>
        <translation>WAS 노드</translation>
    </message>
    <message>
        <source>Redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <source>Kafka</source>
        <translation>Kafka</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>데이터베이스</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>기타</translation>
    </message>
</context>
<context>
    <name>clusterdeck::Sidebar</name>
    <message>
        <source>Filter targets (Ctrl+F)</source>
        <translation>대상 필터 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Drain %1…</source>
        <translation>%1 드레인…</translation>
    </message>
    <message>
        <source>Readmit %1…</source>
        <translation>%1 재투입…</translation>
    </message>
</context>
<context>
    <name>clusterdeck::SshPrompts</name>
    <message>
        <source>Unknown SSH host key</source>
        <translation>알 수 없는 SSH 호스트 키</translation>
    </message>
    <message>
        <source>The authenticity of host %1 cannot be established.</source>
        <translation>호스트 %1의 신원을 확인할 수 없습니다.</translation>
    </message>
    <message>
        <source>%1 key fingerprint:
%2

Compare it with the fingerprint the host&apos;s administrator gives you (ssh-keygen -lf on the host&apos;s key). Trusting it adds the key to %3.</source>
        <translation>%1 키 지문:
%2

호스트 관리자가 알려 준 지문(호스트 키에 ssh-keygen -lf)과 비교하세요. 신뢰하면 키가 %3에 추가됩니다.</translation>
    </message>
    <message>
        <source>Trust and connect</source>
        <translation>신뢰하고 연결</translation>
    </message>
    <message>
        <source>SSH key passphrase</source>
        <translation>SSH 키 암호</translation>
    </message>
    <message>
        <source>Passphrase for %1 (connecting to %2):</source>
        <translation>%1의 암호 (%2에 연결 중):</translation>
    </message>
    <message>
        <source>SSH password</source>
        <translation>SSH 비밀번호</translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation>%1의 비밀번호:</translation>
    </message>
</context>
<context>
    <name>clusterdeck::WelcomePage</name>
    <message>
        <source>Discover</source>
        <translation>검색</translation>
    </message>
    <message>
        <source>Open a cluster — ClusterDeck</source>
        <translation>클러스터 열기 — ClusterDeck</translation>
    </message>
    <message>
        <source>&lt;h2&gt;ClusterDeck&lt;/h2&gt;Choose the cluster to watch:</source>
        <translation>&lt;h2&gt;ClusterDeck&lt;/h2&gt;감시할 클러스터를 고르세요:</translation>
    </message>
    <message>
        <source>Recent — %1</source>
        <translation>최근 — %1</translation>
    </message>
    <message>
        <source>Local lab cluster — %1</source>
        <translation>로컬 랩 클러스터 — %1</translation>
    </message>
    <message>
        <source>&lt;i&gt;The local lab is not running (tests/lab/lab up starts it).&lt;/i&gt;</source>
        <translation>&lt;i&gt;로컬 랩이 실행 중이 아닙니다 (tests/lab/lab up 으로 시작).&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;i&gt;The local lab is running (state in %1).&lt;/i&gt;</source>
        <translation>&lt;i&gt;로컬 랩이 실행 중입니다 (상태: %1).&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Prometheus URL, e.g. http://prometheus:9090</source>
        <translation>Prometheus URL, 예: http://prometheus:9090</translation>
    </message>
    <message>
        <source>Discover from Prometheus:</source>
        <translation>Prometheus에서 검색:</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>파일 열기…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>Cluster inventory</source>
        <translation>클러스터 인벤토리</translation>
    </message>
    <message>
        <source>Cluster files (*.yaml *.yml);;All files (*)</source>
        <translation>클러스터 파일 (*.yaml *.yml);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an http(s) URL of a Prometheus server</source>
        <translation>&apos;%1&apos;은(는) Prometheus 서버의 http(s) URL이 아닙니다</translation>
    </message>
    <message>
        <source>&lt;i&gt;Asking %1 for its targets…&lt;/i&gt;</source>
        <translation>&lt;i&gt;%1에 대상 목록을 묻는 중…&lt;/i&gt;</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1을(를) 쓸 수 없음: %2</translation>
    </message>
</context>
</TS>
