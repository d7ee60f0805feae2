//! The "suggested competent organization" model (`ocf_domain::routing`) on synthetic referrals whose
//! competent ministry is known: each (policy area, subject) belongs to one ministry, and a proposal is
//! written from its subject's characteristic terms, its policy area's common terms, filler shared by every
//! proposal, Korean particles and sentence frames. Some terms belong to two ministries' subjects (전세사기
//! is housing and finance, 플랫폼 labour and competition), and some proposals also mention a term of
//! another ministry's subject (half the time one of the same policy area). Shuffled by seed, learned from
//! the first 80 %, measured on the other 20 %: as usually written, with only a tenth and a hundredth of
//! the 80 % learned (a new deployment), and on terse, cross-cutting proposals.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use ocf_domain::routing::{Model, document_terms};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Policy areas: a name (sometimes a tag) and terms common to all of the area's ministries.
const AREAS: [(&str, &str); 10] = [
    ("국토교통", "도로 교통 지역 시설 이용객 건설 주민"),
    ("교육", "학생 학부모 교육 학교 수업 교사"),
    ("보건복지", "복지 지원금 돌봄 취약계층 가족 건강 아동"),
    ("환경", "환경 오염 배출 기후 생태 자연"),
    ("일자리", "노동자 일자리 고용 근로자 사업장 임금"),
    ("산업경제", "기업 시장 가격 소비자 경제 요금 디지털"),
    ("행정안전", "행정 주민 안전 공공기관 범죄 처벌 신고"),
    ("농축수산", "농가 어민 생산 유통 먹거리 농어촌 산지"),
    ("외교안보", "국가 해외 북한 안보 외국 협력 국제"),
    ("문화체육관광", "문화 관광객 체육 예술 콘텐츠 축제 시설"),
];

/// Ministries: code, policy area, relative share of referrals.
#[rustfmt::skip]
const MINISTRIES: [(&str, usize, usize); 18] = [
    ("MOLIT", 0, 14), ("MOE", 1, 10), ("MOHW", 2, 14), ("ME", 3, 9), ("MOEL", 4, 12), ("MSIT", 5, 7),
    ("MOIS", 6, 10), ("MAFRA", 7, 6), ("MOTIE", 5, 7), ("MOF", 7, 4), ("MOJ", 6, 5), ("MND", 8, 6),
    ("MCST", 9, 6), ("MOGEF", 2, 5), ("MOFA", 8, 3), ("MOU", 8, 3), ("KFTC", 5, 5), ("FSC", 5, 6),
];

/// Subjects: the competent ministry and the characteristic terms.
#[rustfmt::skip]
const SUBJECTS: [(&str, &str); 78] = [
    ("MOLIT", "주차장 불법주차 공영주차장 주차난 주차요금 주차단속 거주자우선주차"),
    ("MOLIT", "대중교통 버스노선 지하철 환승 광역버스 배차간격 교통카드 심야버스"),
    ("MOLIT", "아파트 전세사기 임대주택 청약 주택공급 재건축 분양가 청년주택 청년"),
    ("MOLIT", "고속도로 톨게이트 통행료 도로포장 교통체증 휴게소 우회도로"),
    ("MOLIT", "철도 고속철도 KTX 기차표 역사 승강장 항공권 공항"),
    ("MOE", "대학입시 수능 수시 정시 학생부 입학사정관 논술 의대정원"),
    ("MOE", "사교육 학원비 방과후학교 선행학습 학원 교육비 사교육비"),
    ("MOE", "교권 교원 담임 교사업무 교원평가 기간제교사 교권침해"),
    ("MOE", "학교폭력 학폭위 가해학생 피해학생 학교전담경찰 등굣길"),
    ("MOE", "초등돌봄 늘봄학교 돌봄교실 유치원 방과후 코딩교육 돌봄"),
    ("MOHW", "어린이집 보육교사 보육료 국공립어린이집 아동학대 보육"),
    ("MOHW", "국민연금 기초연금 연금개혁 노후 수령액 보험료 연금"),
    ("MOHW", "건강보험 의료비 응급실 의사 간호사 병원 진료비 비급여 의대정원"),
    ("MOHW", "장애인 활동지원 장애등급 발달장애 장애인복지 보조기기"),
    ("MOHW", "기초생활수급 생계급여 부양의무자 긴급복지 노인일자리 독거노인"),
    ("ME", "미세먼지 초미세먼지 대기오염 공기청정기 황사 경유차 전기차보조금 전기차"),
    ("ME", "재활용 분리수거 일회용품 플라스틱 쓰레기 종량제 음식물쓰레기"),
    ("ME", "수돗물 상수도 하수처리 녹조 수질 하천 정수장"),
    ("ME", "탄소중립 온실가스 기후변화 탄소배출권 폭염 해양쓰레기 태양광"),
    ("ME", "국립공원 멸종위기 야생동물 생태계 외래종 동물보호"),
    ("MOEL", "최저임금 임금체불 주휴수당 시급 아르바이트 연장근로수당"),
    ("MOEL", "근로시간 주52시간 야근 연차휴가 육아휴직 유연근무"),
    ("MOEL", "산업재해 산재보험 중대재해 안전사고 현장안전 작업장 안전점검"),
    ("MOEL", "실업급여 구직활동 고용보험 직업훈련 취업 청년고용 청년"),
    ("MOEL", "비정규직 정규직전환 파견근로 플랫폼노동자 배달라이더 특수고용 플랫폼 외국인"),
    ("MSIT", "통신요금 휴대폰요금 요금제 알뜰폰 데이터 5G 통신사"),
    ("MSIT", "인터넷 와이파이 공공와이파이 인터넷속도 통신망 해킹"),
    ("MSIT", "연구개발 과학기술 연구비 연구자 기초과학 출연연"),
    ("MSIT", "인공지능 소프트웨어 코딩교육 메타버스 반도체 AI"),
    ("MSIT", "개인정보 정보보호 보이스피싱 스팸문자 사이버 해킹"),
    ("MOIS", "재난 지진 태풍 폭우 침수 재난문자 대피소 안전점검 폭염"),
    ("MOIS", "주민등록 주민센터 민원 등본 신분증 전입신고 개인정보"),
    ("MOIS", "지방자치 지방세 지자체 지방선거 공무원 공무원연금 지방소멸 빈집"),
    ("MOIS", "교통사고 어린이보호구역 스쿨존 횡단보도 보행자 음주운전"),
    ("MAFRA", "쌀값 농산물 농민 비료 농업 스마트팜 공익직불금 원산지"),
    ("MAFRA", "반려동물 반려견 유기견 동물학대 동물보호 동물등록 입양"),
    ("MAFRA", "가축 구제역 조류독감 축산 한우 돼지열병 축산농가"),
    ("MAFRA", "귀농 귀촌 농촌 청년농 농지 빈집 지방소멸"),
    ("MOTIE", "전기요금 누진제 한전 전력 정전 발전소"),
    ("MOTIE", "원전 원자력 신재생에너지 태양광 풍력 에너지전환"),
    ("MOTIE", "수출 무역 관세 통상 수출기업 자유무역협정 중소기업"),
    ("MOTIE", "전기차충전 충전소 전기차 수소차 충전기 충전요금"),
    ("MOTIE", "산업단지 제조업 반도체 공장 소재부품 뿌리산업"),
    ("MOF", "어업 어선 어획량 불법조업 수산자원 금어기"),
    ("MOF", "해양쓰레기 바다 해양오염 해양보호구역 갯벌 해수욕장 쓰레기 관광"),
    ("MOF", "항만 해운 선박 선원 컨테이너 여객선 항구"),
    ("MOF", "수산물 원산지 횟집 수산시장 양식장 방사능검사"),
    ("MOJ", "형량 처벌강화 양형기준 음주운전 사형제 소년법 스토킹 디지털성범죄"),
    ("MOJ", "교도소 수용자 가석방 교정시설 출소자 전자발찌"),
    ("MOJ", "출입국 외국인 불법체류 난민 이민 비자 다문화 공항"),
    ("MOJ", "검찰 검사 수사권 변호사 법률구조 재판"),
    ("MND", "병사월급 군복무 복무기간 병역 입대 전역 군인"),
    ("MND", "예비군 예비군훈련 동원훈련 훈련수당 예비군복 향토예비군"),
    ("MND", "군대 부대 군간부 부사관 군가혹행위 군급식 장병"),
    ("MND", "대체복무 병역특례 병역비리 징병검사 사회복무요원 병역"),
    ("MCST", "관광 관광지 관광안내 외국인관광객 숙박 여행 외국인"),
    ("MCST", "체육시설 생활체육 운동장 국가대표 스포츠 수영장"),
    ("MCST", "게임 웹툰 저작권 불법복제 한류 게임중독 K팝"),
    ("MCST", "문화예술 예술인 공연장 박물관 도서관 문화재"),
    ("MOGEF", "한부모 양육비 미혼모 한부모가족 양육비이행 배드파더스"),
    ("MOGEF", "청소년 청소년쉼터 가출청소년 학교밖청소년 청소년보호 소년법 학교폭력"),
    ("MOGEF", "성평등 성희롱 디지털성범죄 불법촬영 데이트폭력 스토킹"),
    ("MOGEF", "가정폭력 가정폭력피해자 보호시설 다문화가족 결혼이민자 다문화 아동학대"),
    ("MOFA", "여권 여권발급 비자면제 재외공관 대사관 영사"),
    ("MOFA", "재외국민 해외체류 교민 해외여행 여행경보 해외안전"),
    ("MOFA", "외교 정상회담 독도 위안부 한일관계 외교부"),
    ("MOU", "이산가족 상봉 남북교류 개성공단 금강산 남북회담"),
    ("MOU", "북한이탈주민 탈북민 정착지원 하나원 탈북청소년 북한인권"),
    ("MOU", "통일교육 통일 대북지원 인도적지원 남북협력 통일비용"),
    ("KFTC", "갑질 하도급 대기업 납품단가 중소기업 협력업체"),
    ("KFTC", "가맹점 가맹본부 프랜차이즈 가맹비 점주 가맹계약"),
    ("KFTC", "배달앱 배달수수료 플랫폼 독과점 입점업체 온라인플랫폼 수수료 소상공인"),
    ("KFTC", "담합 가격담합 과징금 불공정거래 소비자피해 환불"),
    ("FSC", "대출 대출금리 주택담보대출 가계부채 전세대출 신용대출 전세사기"),
    ("FSC", "가상자산 코인 암호화폐 거래소 투자자보호 코인사기"),
    ("FSC", "카드수수료 신용카드 카드포인트 수수료 소상공인 카드사"),
    ("FSC", "공매도 주식 증권 개인투자자 주가조작 증권사"),
    ("FSC", "실손보험 보험금 보험사 보험료 보험설계사 보이스피싱"),
];

/// Filler every proposal may use, whatever it is about.
#[rustfmt::skip]
const NOISE: [&str; 20] = [
    "정부", "개선", "필요", "시민", "제안합니다", "지원", "국민", "정책", "문제", "대책", "마련", "강화",
    "확대", "제도", "시급", "현실", "해결", "방안", "예산", "부탁드립니다",
];

/// How proposals are written: the share of slots taken by subject terms (the rest split between area
/// terms and filler), title subject terms, body sentences, and the chance of a term of another ministry.
#[derive(Debug)]
struct Style {
    specific: (f64, f64),
    title: RangeInclusive<usize>,
    sentences: RangeInclusive<usize>,
    stray: f64,
}

#[rustfmt::skip]
const USUAL: Style = Style { specific: (0.5, 0.8), title: 2..=3, sentences: 3..=6, stray: 0.15 };
#[rustfmt::skip]
const TERSE: Style = Style { specific: (0.2, 0.4), title: 1..=1, sentences: 1..=2, stray: 0.5 };

#[derive(Debug)]
struct Subject {
    ministry: &'static str,
    area: usize,
    terms: Vec<&'static str>,
}

/// A referral: the competent ministry, the title, the document's terms.
type Referral = (&'static str, String, Vec<String>);

fn pick(rng: &mut ChaCha8Rng, words: &[&'static str]) -> &'static str {
    words.choose(rng).copied().unwrap_or("")
}

/// Whether a Korean word ends in a consonant (받침), which picks the particle.
fn has_final(word: &str) -> bool {
    word.chars().last().is_some_and(|c| {
        let code = u32::from(c);
        (0xAC00..=0xD7A3).contains(&code) && !(code - 0xAC00).is_multiple_of(28)
    })
}

fn particle<'a>(word: &str, after_vowel: &'a str, after_consonant: &'a str) -> &'a str {
    [after_vowel, after_consonant][usize::from(has_final(word))]
}

fn sentence(rng: &mut ChaCha8Rng, a: &str, b: &str) -> String {
    let (a_eul, a_ga) = (particle(a, "를", "을"), particle(a, "가", "이"));
    let (b_eul, b_wa) = (particle(b, "를", "을"), particle(b, "와", "과"));
    match rng.random_range(0..8) {
        0 => format!("{a}{a_ga} 갈수록 심각해지고 있습니다."),
        1 => format!("{a}{a_eul} 위한 {b} 대책이 필요합니다."),
        2 => format!("현재 {b}{b_wa} {a} 관련 제도는 현실과 맞지 않습니다."),
        3 => format!("{a} 때문에 많은 시민이 불편을 겪고 있습니다."),
        4 => format!("정부가 {a} {b} 문제를 적극적으로 해결해 주시기 바랍니다."),
        5 => format!("다른 나라처럼 {a}{a_eul} 개선하고 {b}{b_eul} 확대해야 합니다."),
        6 => format!("{a}에 대한 {b} 기준을 명확히 해 주세요."),
        _ => format!("저는 {a} 문제로 {b}까지 걱정하고 있습니다."),
    }
}

/// A term of another ministry's subject: half the time one of the same policy area, the most confusing.
fn stray(rng: &mut ChaCha8Rng, subjects: &[Subject], own: &Subject) -> &'static str {
    let other = |s: &&Subject| s.ministry != own.ministry;
    let near = rng.random_bool(0.5) && subjects.iter().any(|s| other(&s) && s.area == own.area);
    let others: Vec<&Subject> = subjects
        .iter()
        .filter(|s| other(s) && (!near || s.area == own.area))
        .collect();
    others.choose(rng).map_or("", |s| pick(rng, &s.terms))
}

/// One proposal about `subject`, as `style` writes it.
fn proposal(
    rng: &mut ChaCha8Rng,
    subjects: &[Subject],
    subject: &Subject,
    style: &Style,
) -> Referral {
    let area_terms: Vec<&str> = AREAS[subject.area].1.split_whitespace().collect();
    // How much of the text is about the subject itself varies from proposal to proposal.
    let specific = rng.random_range(style.specific.0..style.specific.1);
    let slot = |rng: &mut ChaCha8Rng| match rng.random::<f64>() {
        x if x < specific => pick(rng, &subject.terms),
        x if x < specific + (1.0 - specific) / 2.0 => pick(rng, &area_terms),
        _ => pick(rng, &NOISE),
    };
    let mut title: Vec<&str> = (0..rng.random_range(style.title.clone()))
        .map(|_| pick(rng, &subject.terms))
        .collect();
    title.push(pick(rng, &NOISE));
    let sentences = rng.random_range(style.sentences.clone());
    let stray_at = rng
        .random_bool(style.stray)
        .then(|| rng.random_range(0..sentences));
    let body: Vec<String> = (0..sentences)
        .map(|n| {
            let a = if stray_at == Some(n) {
                stray(rng, subjects, subject)
            } else {
                slot(rng)
            };
            let b = slot(rng);
            sentence(rng, a, b)
        })
        .collect();
    let mut tags = Vec::new();
    if rng.random_bool(0.5) {
        tags.push(AREAS[subject.area].0.to_owned());
    }
    if rng.random_bool(0.3) {
        tags.push(pick(rng, &subject.terms).to_owned());
    }
    let (title, body) = (title.join(" "), body.join(" "));
    let terms = document_terms(&title, &body, &tags);
    (subject.ministry, title, terms)
}

/// `n` referrals written in `style`, a ministry drawn by its share, then one of its subjects; shuffled.
fn referrals(rng: &mut ChaCha8Rng, subjects: &[Subject], style: &Style, n: usize) -> Vec<Referral> {
    // Each ministry as often as its share of referrals.
    let deck: Vec<&str> = MINISTRIES
        .iter()
        .flat_map(|&(code, _, share)| std::iter::repeat_n(code, share))
        .collect();
    let mut out: Vec<Referral> = (0..n)
        .map(|_| {
            let ministry = pick(rng, &deck);
            let own: Vec<&Subject> = subjects.iter().filter(|s| s.ministry == ministry).collect();
            let subject = own.choose(rng).copied().unwrap_or(&subjects[0]);
            proposal(rng, subjects, subject, style)
        })
        .collect();
    out.shuffle(rng);
    out
}

#[allow(
    clippy::cast_precision_loss,
    reason = "counts far below 2^53, where f64 is exact"
)]
fn real(n: usize) -> f64 {
    n as f64
}

fn percent(hits: usize, of: usize) -> String {
    if of == 0 {
        "n/a".to_owned()
    } else {
        format!("{:.1} %", 100.0 * real(hits) / real(of))
    }
}

/// Learns `train`, ranks `test`: one table row, and the trained model.
fn measure(label: &str, train: &[Referral], test: &[Referral]) -> (String, Model<&'static str>) {
    let started = Instant::now();
    let mut model = Model::new();
    for (ministry, _, terms) in train {
        model.learn(*ministry, terms);
    }
    let trained = started.elapsed();
    let (mut top1, mut top3, mut ranking) = (0, 0, Duration::ZERO);
    for (ministry, _, terms) in test {
        let started = Instant::now();
        let ranked = model.rank(terms, 3);
        ranking += started.elapsed();
        top1 += usize::from(ranked.first().is_some_and(|s| s.organization == *ministry));
        top3 += usize::from(ranked.iter().any(|s| s.organization == *ministry));
    }
    let row = format!(
        "| {label} | {} | {} | {} | {} | {} | {:.1} | {:.1} |",
        train.len(),
        test.len(),
        model.vocabulary(),
        percent(top1, test.len()),
        percent(top3, test.len()),
        trained.as_secs_f64() * 1e3,
        ranking.as_secs_f64() * 1e6 / real(test.len().max(1)),
    );
    (row, model)
}

/// Generates `proposals` referrals from `seed`, learns 80 %, and returns the Markdown section.
pub(crate) fn evaluate(seed: u64, proposals: usize) -> String {
    let subjects: Vec<Subject> = SUBJECTS
        .iter()
        .map(|&(ministry, terms)| Subject {
            ministry,
            area: MINISTRIES
                .iter()
                .find(|m| m.0 == ministry)
                .map_or(0, |m| m.1),
            terms: terms.split_whitespace().collect(),
        })
        .collect();
    let mut owners: HashMap<&str, HashSet<&str>> = HashMap::new();
    for s in &subjects {
        for &t in &s.terms {
            owners.entry(t).or_default().insert(s.ministry);
        }
    }
    let shared = owners.values().filter(|o| o.len() > 1).count();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let usual = referrals(&mut rng, &subjects, &USUAL, proposals);
    let terse = referrals(&mut rng, &subjects, &TERSE, proposals);
    let split = proposals * 4 / 5;
    let (train, test) = usual.split_at(split);
    let (usual_row, model) = measure("usual", train, test);
    let (tenth_row, _) = measure("usual, fewer learned", &train[..split / 10], test);
    let (few_row, _) = measure("usual, few learned", &train[..split / 100], test);
    let (terse_row, _) = measure("terse, cross-cutting", &terse[..split], &terse[split..]);

    let mut out = format!("## Suggested competent organization (naive Bayes), seed {seed}\n\n");
    let _ = writeln!(
        out,
        "{} ministries in {} policy areas, {} subjects with {} characteristic terms ({shared} of them in two \
         ministries' subjects). \"Usual\" proposals: a title of 2-3 subject terms and a filler word, 3-6 \
         sentences with 50-80 % of their slots subject terms, 15 % with a term of another ministry. \
         \"Terse\": one subject term in the title, 1-2 sentences with 20-40 % subject terms, half with a term \
         of another ministry. Top-k: the competent ministry is among the first k suggestions (target: \
         top-3 ≥ 90 %).\n",
        MINISTRIES.len(),
        AREAS.len(),
        subjects.len(),
        owners.len(),
    );
    out.push_str("| proposals | learned | tested | vocabulary | top-1 | top-3 | learn ms | µs per ranking |\n");
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    for row in [usual_row, tenth_row, few_row, terse_row] {
        out.push_str(&row);
        out.push('\n');
    }
    for (ministry, title, terms) in test.iter().take(2) {
        let each: Vec<String> = model
            .rank(terms, 3)
            .iter()
            .map(|s| format!("{} {:.2} ({})", s.organization, s.score, s.terms.join(", ")))
            .collect();
        let _ = writeln!(out, "\n\"{title}\" ({ministry}): {}.", each.join("; "));
    }
    out
}
