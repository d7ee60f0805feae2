//! OpenAPI `links` from an answer carrying an id to the operations on it (for Schemathesis' stateful phase).

use super::*;

/// Links Schemathesis (and people) can follow: from an answer carrying an id to the operations on it.
/// `(link name, target operation)`.
pub(super) type Target = (&'static str, &'static str);

pub(super) const LINKS: &[(&str, &str, &[Target], &str)] = &[
    // (operation, status, [(link name, target operation)], where the id is)
    (
        "create_proposal",
        "201",
        &[
            ("GetProposal", "get_proposal"),
            ("UpdateProposal", "update_proposal"),
            ("WithdrawProposal", "withdraw_proposal"),
            ("SupportProposal", "support_proposal"),
            ("UnsupportProposal", "unsupport_proposal"),
            ("GetProposalTimeline", "get_proposal_timeline"),
            ("ReportProposal", "report_proposal"),
        ],
        "$response.body#/id",
    ),
    (
        "get_proposal",
        "200",
        &[
            ("GetProposalTimeline", "get_proposal_timeline"),
            ("SupportProposal", "support_proposal"),
        ],
        "$response.body#/id",
    ),
    (
        "list_proposals",
        "200",
        &[("GetFirstProposal", "get_proposal")],
        "$response.body#/items/0/id",
    ),
    (
        "merge_proposal",
        "200",
        &[("GetSurvivor", "get_proposal")],
        "$response.body#/merged_into",
    ),
    (
        "hide_proposal",
        "200",
        &[("UnhideProposal", "unhide_proposal")],
        "$response.body#/id",
    ),
    (
        "unhide_proposal",
        "200",
        &[("HideProposal", "hide_proposal")],
        "$response.body#/id",
    ),
    (
        "report_proposal",
        "201",
        &[("ResolveReport", "resolve_report")],
        "$response.body#/id",
    ),
    (
        "list_reports",
        "200",
        &[("ResolveFirstReport", "resolve_report")],
        "$response.body#/items/0/id",
    ),
    (
        "create_organization",
        "201",
        &[
            ("GetOrganization", "get_organization"),
            ("UpdateOrganization", "update_organization"),
        ],
        "$response.body#/id",
    ),
    (
        "list_organizations",
        "200",
        &[("GetFirstOrganization", "get_organization")],
        "$response.body#/items/0/id",
    ),
    (
        "list_users",
        "200",
        &[("UpdateFirstUser", "update_user")],
        "$response.body#/items/0/id",
    ),
];

pub(super) fn add_links(op: &mut Operation) {
    let Some(id) = op.operation_id.clone() else {
        return;
    };
    for (source, status, targets, expression) in LINKS {
        if *source != id {
            continue;
        }
        if let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) {
            for (name, target) in *targets {
                let link = LinkBuilder::new()
                    .operation_id(*target)
                    .parameter("id", *expression)
                    .description(format!(
                        "`{target}` on this one: its `id` path parameter is `{expression}`"
                    ))
                    .build();
                response.links.insert((*name).to_owned(), RefOr::T(link));
            }
        }
    }
}
