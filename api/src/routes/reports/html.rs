//! The annual report as a printable page: Korean, with English headings, A4, inline CSS and nothing
//! fetched from elsewhere. It renders the same view the JSON answers, and marks each figure with
//! `data-figure` (its place in the JSON, a JSON Pointer) and `data-value` (the JSON's value; a day in
//! Korea for a time, empty for `null`), so a reader or a test can match the two.

use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::dto::{AnnualReportView, ImplementedView};
use super::labels;
use crate::routes::stats::dto::OrganizationRecordView;

const CSS: &str = r#"
@page { size: A4; margin: 18mm 16mm 20mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans KR", "Nanum Gothic", "NanumGothic", "Malgun Gothic", "Apple SD Gothic Neo",
  sans-serif; color: #1b1f24; font-size: 10.5pt; line-height: 1.5; margin: 0 auto; max-width: 180mm; }
header { border-bottom: 2px solid #0b4a8b; margin-bottom: 8mm; padding-bottom: 4mm; }
h1 { font-size: 20pt; margin: 0 0 2mm; color: #0b4a8b; }
h1 .en, h2 .en { display: block; font-size: 0.6em; color: #55606e; font-weight: normal; }
h2 { font-size: 13.5pt; margin: 9mm 0 3mm; border-left: 4px solid #0b4a8b; padding-left: 3mm;
  break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
p.meta { color: #55606e; margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; font-size: 9.5pt; }
th, td { border: 1px solid #c9d1db; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #eef3f9; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 2mm 0 4mm; }
.figure { border: 1px solid #c9d1db; border-radius: 2mm; padding: 2mm 3mm; min-width: 34mm; }
.figure b { display: block; font-size: 15pt; color: #0b4a8b; }
.implemented { break-inside: avoid; border-top: 1px solid #c9d1db; padding-top: 2mm; }
.empty { color: #55606e; font-style: italic; }
footer { margin-top: 10mm; color: #55606e; font-size: 8.5pt; }
"#;

/// The day in Korea, as the JSON's `period` writes days.
fn day(t: DateTime<Utc>) -> String {
    ocf_domain::referral::deadline::seoul_date(t).to_string()
}

/// 180705 as "180,705".
fn grouped(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count, grouped, with its place in the JSON.
fn count(figure: &str, n: impl Into<i128>) -> Markup {
    let n = n.into();
    html! { td.n data-figure=(figure) data-value=(n) { (grouped(n)) } }
}

/// A fraction as the JSON writes it (`0.0`, not `0`).
fn as_json(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or_else(String::new, |n| n.to_string())
}

fn days(figure: &str, d: Option<f64>) -> Markup {
    match d {
        Some(d) => {
            html! { td.n data-figure=(figure) data-value=(as_json(d)) { (format!("{d:.1}일")) } }
        }
        None => html! { td.n data-figure=(figure) data-value="" { "–" } },
    }
}

fn date_cell(figure: &str, t: Option<DateTime<Utc>>) -> Markup {
    match t {
        Some(t) => html! { td data-figure=(figure) data-value=(day(t)) { (day(t)) } },
        None => html! { td data-figure=(figure) data-value="" { "–" } },
    }
}

fn funnel(r: &AnnualReportView) -> Markup {
    html! {
        h2 { "제안의 흐름" span.en { "The funnel" } }
        p.meta { "올해 접수된 제안이 각 단계에 이른 수 · Proposals collected this year, by the furthest stages they reached" }
        table {
            thead { tr { th { "단계 · Stage" } th.n { "제안 수 · Proposals" } } }
            tbody {
                @for (i, s) in r.funnel.stages.iter().enumerate() {
                    @let (ko, en) = labels::stage(s.stage);
                    tr { td { (ko) " · " (en) } (count(&format!("/funnel/stages/{i}/count"), s.count)) }
                }
            }
        }
        table {
            thead { tr { th { "구간 · Step" } th.n { "전환율 · Rate" } th.n { "중앙값 · Median days" } } }
            tbody {
                @for (i, s) in r.funnel.steps.iter().enumerate() {
                    @let figure = format!("/funnel/steps/{i}");
                    tr {
                        td { (labels::stage(s.from).0) " → " (labels::stage(s.to).0) }
                        @match s.rate {
                            Some(rate) => td.n data-figure=(format!("{figure}/rate")) data-value=(as_json(rate)) { (format!("{:.2}%", rate * 100.0)) },
                            None => td.n data-figure=(format!("{figure}/rate")) data-value="" { "–" },
                        }
                        (days(&format!("{figure}/median_days"), s.median_days))
                    }
                }
            }
        }
        h3 { "기관 답변 · Answers by decision" }
        table {
            tbody {
                @for (i, d) in r.funnel.decisions.iter().enumerate() {
                    tr { td { (labels::decision(d.decision)) } (count(&format!("/funnel/decisions/{i}/count"), d.count)) }
                }
            }
        }
    }
}

fn forums(r: &AnnualReportView) -> Markup {
    let f = &r.forums;
    html! {
        h2 { "토론회" span.en { "Forums held" } }
        div.figures {
            div.figure { "개최 · Held" b data-figure="/forums/held" data-value=(f.held) { (grouped(f.held.into())) } }
            div.figure { "참석 · Attendance" b data-figure="/forums/attended" data-value=(f.attended) { (grouped(f.attended.into())) } }
            div.figure { "사전 등록 · Registrations" b data-figure="/forums/registered" data-value=(f.registered) { (grouped(f.registered.into())) } }
            div.figure { "현장 제안 · Proposals born" b data-figure="/forums/proposals" data-value=(f.proposals) { (grouped(f.proposals.into())) } }
            div.figure { "취소 · Cancelled" b data-figure="/forums/cancelled" data-value=(f.cancelled) { (grouped(f.cancelled.into())) } }
        }
        @if f.proposals > 0 {
            h3 { "현장 제안의 현재 상태 · What became of the proposals born there" }
            table {
                tbody {
                    @for (i, o) in f.outcomes.iter().enumerate() {
                        @if o.count > 0 {
                            tr { td { (labels::proposal_status(o.status)) } (count(&format!("/forums/outcomes/{i}/count"), o.count)) }
                        }
                    }
                }
            }
        }
        @if r.forums_held.is_empty() {
            p.empty { "올해 개최된 토론회가 없습니다 · No forum took place this year." }
        } @else {
            table {
                thead { tr { th { "날짜 · Date" } th { "토론회 · Forum" } th { "유형 · Kind" } th { "지역 · Region" } th.n { "등록 · Registered" } th.n { "참석 · Attended" } } }
                tbody {
                    @for (i, h) in r.forums_held.iter().enumerate() {
                        tr {
                            td { (day(h.starts_at)) }
                            td { (h.title) " (" (labels::forum_status(h.status)) ")" }
                            td { (labels::forum_kind(h.kind)) }
                            td { (labels::region(h.region)) }
                            (count(&format!("/forums_held/{i}/registered"), h.registered))
                            (count(&format!("/forums_held/{i}/attended"), h.attended))
                        }
                    }
                }
            }
        }
    }
}

fn topics(r: &AnnualReportView) -> Markup {
    html! {
        h2 { "가장 많은 공감을 받은 주제" span.en { "The most voted topics" } }
        @if r.top_topics.is_empty() {
            p.empty { "올해 제안된 주제가 없습니다 · No topic was suggested this year." }
        } @else {
            table {
                thead { tr { th.n { "순위 · Rank" } th { "주제 · Topic" } th { "상태 · Status" } th.n { "공감 · Votes" } } }
                tbody {
                    @for (i, t) in r.top_topics.iter().enumerate() {
                        tr {
                            td.n { (i + 1) }
                            td { (t.title) }
                            td { (labels::topic_status(t.status)) }
                            (count(&format!("/top_topics/{i}/votes"), t.votes))
                        }
                    }
                }
            }
        }
    }
}

fn organization_row(i: usize, o: &OrganizationRecordView) -> Markup {
    let f = |name: &str| format!("/organizations/{i}/{name}");
    html! {
        tr {
            td { (o.organization.name_ko) br; small { (o.organization.name_en) } }
            (count(&f("received"), o.received))
            (count(&f("acknowledged"), o.acknowledged))
            (count(&f("answered_on_time"), o.answered_on_time))
            (count(&f("answered_late"), o.answered_late))
            (count(&f("overdue_now"), o.overdue_now))
            (count(&f("transferred_away"), o.transferred_away))
            (days(&f("median_days_to_answer"), o.median_days_to_answer))
            (days(&f("p90_days_to_answer"), o.p90_days_to_answer))
        }
    }
}

fn organizations(r: &AnnualReportView) -> Markup {
    html! {
        h2 { "기관별 처리 실적" span.en { "Each organization's record" } }
        p.meta { "올해 이송된 제안 기준 · Referrals first sent this year" }
        @if r.organizations.is_empty() {
            p.empty { "올해 이송된 제안이 없습니다 · No proposal was referred this year." }
        } @else {
            table {
                thead { tr {
                    th { "기관 · Organization" } th.n { "접수 · Received" } th.n { "확인 · Acknowledged" }
                    th.n { "기한 내 답변 · On time" } th.n { "기한 후 답변 · Late" } th.n { "기한 경과 · Overdue" }
                    th.n { "재이송 · Transferred" } th.n { "답변 중앙값 · Median" } th.n { "90% · p90" }
                } }
                tbody { @for (i, o) in r.organizations.iter().enumerate() { (organization_row(i, o)) } }
            }
        }
    }
}

fn implemented_item(i: usize, p: &ImplementedView) -> Markup {
    let j = &p.journey;
    let f = |name: &str| format!("/implemented/{i}/journey/{name}");
    html! {
        div.implemented {
            h3 { (p.title) }
            p.meta {
                (p.organization.name_ko) " · " (p.referral_number)
                @if let Some(task) = &p.policy_task { " · 국정과제 연계 Policy task: " (task) }
                @if let Some(d) = j.decision { " · " (labels::decision(d)) }
            }
            @if let Some(url) = &p.evidence_url {
                p.meta { "근거 · Evidence: " span data-figure=(format!("/implemented/{i}/evidence_url")) data-value=(url) { (url) } }
            }
            table {
                thead { tr { th { "접수" br; small { "Collected" } } th { "검토" br; small { "Reviewed" } } th { "채택" br; small { "Selected" } }
                    th { "이송" br; small { "Referred" } } th { "확인" br; small { "Acknowledged" } } th { "답변" br; small { "Answered" } }
                    th { "실현" br; small { "Implemented" } } } }
                tbody { tr {
                    (date_cell(&f("collected_at"), Some(j.collected_at)))
                    (date_cell(&f("reviewed_at"), j.reviewed_at))
                    (date_cell(&f("selected_at"), j.selected_at))
                    (date_cell(&f("referred_at"), j.referred_at))
                    (date_cell(&f("acknowledged_at"), j.acknowledged_at))
                    (date_cell(&f("answered_at"), j.answered_at))
                    (date_cell(&f("implemented_at"), j.implemented_at))
                } }
            }
        }
    }
}

fn implemented(r: &AnnualReportView) -> Markup {
    html! {
        h2 { "실현된 제안" span.en { "Proposals implemented" } }
        @if r.implemented.is_empty() {
            p.empty { "올해 실현된 제안이 없습니다 · No proposal was implemented this year." }
        } @else {
            p.meta { "날짜는 한국 표준시 · Dates in Korea Standard Time" }
            @for (i, p) in r.implemented.iter().enumerate() { (implemented_item(i, p)) }
        }
    }
}

/// The whole page.
pub fn page(r: &AnnualReportView) -> String {
    let markup = html! {
        (DOCTYPE)
        html lang="ko" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (r.year) "년 열린소통포럼 연례 보고서 · Annual report " (r.year) }
                style { (PreEscaped(CSS)) }
            }
            body data-year=(r.year) {
                header {
                    h1 { (r.year) "년 열린소통포럼 연례 보고서" span.en { "Open Communication Forum · Annual report " (r.year) } }
                    p.meta { "기간 · Period: " (r.period.from) " – " (r.period.to) " (한국 표준시 · KST)" }
                    p.meta { "플랫폼의 기록에서 그대로 계산한 수치입니다 · Every figure is computed from the platform's own records." }
                }
                main {
                    (funnel(r))
                    (forums(r))
                    (topics(r))
                    (organizations(r))
                    (implemented(r))
                }
                footer {
                    "공공누리 제1유형 (출처표시) · KOGL Type 1 / CC BY 4.0. "
                    "같은 자료: 이 주소에 Accept: application/json · The same data as JSON: this address with Accept: application/json."
                }
            }
        }
    };
    markup.into_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(1_718), "1,718");
        assert_eq!(super::grouped(180_705), "180,705");
        assert_eq!(super::grouped(-1_000_000), "-1,000,000");
    }
}
