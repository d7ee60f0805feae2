"""The generated client's operation modules the flows use: the only place that names them.

openapi-python-client names each module after its operation's `operationId`, in a package named after the
operation's first tag (`ocf_client.api.<tag>.<operation_id>`). When an operationId is renamed in the
OpenAPI document, change the import here; `mypy --strict` points at every one that no longer exists.
The names on the left are the operationIds; those after `as` are what the flows call.
"""

from ocf_client.api.accounts import get_my_account as get_me
from ocf_client.api.accounts import log_in as login
from ocf_client.api.accounts import refresh_tokens as refresh_tokens
from ocf_client.api.accounts import register_account as register
from ocf_client.api.admin import update_user as update_user
from ocf_client.api.channels import create_channel as create_channel
from ocf_client.api.channels import create_credential as create_credential
from ocf_client.api.channels import get_channel as get_channel
from ocf_client.api.channels import get_credential as get_credential
from ocf_client.api.channels import list_channels as list_channels
from ocf_client.api.channels import list_credentials as list_credentials
from ocf_client.api.channels import revoke_credential as revoke_credential
from ocf_client.api.channels import rotate_credential as rotate_credential
from ocf_client.api.channels import update_channel as update_channel
from ocf_client.api.comments import delete_comment as delete_comment
from ocf_client.api.comments import get_comment as get_comment
from ocf_client.api.comments import like_comment as like_comment
from ocf_client.api.comments import list_forum_comments as list_forum_comments
from ocf_client.api.comments import post_forum_comment as post_forum_comment
from ocf_client.api.comments import update_comment as update_comment
from ocf_client.api.forums import advance_forum_agenda as advance_forum_agenda
from ocf_client.api.forums import ask_forum_question as ask_forum_question
from ocf_client.api.forums import change_forum_status as change_forum_status
from ocf_client.api.forums import create_forum as create_forum
from ocf_client.api.forums import enter_forum_proposal as enter_forum_proposal
from ocf_client.api.forums import follow_forum as follow_forum
from ocf_client.api.forums import follow_forum_updates as follow_forum_updates
from ocf_client.api.forums import get_forum as get_forum
from ocf_client.api.forums import get_forum_outcome as get_forum_outcome
from ocf_client.api.forums import get_forum_timeline as forum_timeline
from ocf_client.api.forums import list_forum_questions as list_forum_questions
from ocf_client.api.forums import list_forum_registrations as list_forum_registrations
from ocf_client.api.forums import list_forums as list_forums
from ocf_client.api.forums import mark_forum_attendance as mark_forum_attendance
from ocf_client.api.forums import put_forum_outcome as put_forum_outcome
from ocf_client.api.forums import register_for_forum as register_for_forum
from ocf_client.api.forums import set_question_status as set_question_status
from ocf_client.api.forums import unfollow_forum_updates as unfollow_forum_updates
from ocf_client.api.forums import unvote_question as unvote_question
from ocf_client.api.forums import vote_question as vote_question
from ocf_client.api.moderation import hide_comment as hide_comment
from ocf_client.api.moderation import report_comment as report_comment
from ocf_client.api.moderation import unhide_comment as unhide_comment
from ocf_client.api.notifications import count_unread_notifications as count_unread_notifications
from ocf_client.api.notifications import list_notifications as list_notifications
from ocf_client.api.notifications import mark_notifications_read as mark_notifications_read
from ocf_client.api.open311 import open311_request as open311_request
from ocf_client.api.open311 import open311_requests as open311_requests
from ocf_client.api.open311 import open311_services as open311_services
from ocf_client.api.open_data import export_dataset as export_dataset
from ocf_client.api.open_data import get_data_dictionary as get_data_dictionary
from ocf_client.api.organizations import create_organization as create_organization
from ocf_client.api.organizations import get_organization as get_organization
from ocf_client.api.organizations import list_organizations as list_organizations
from ocf_client.api.partners import create_webhook as create_webhook
from ocf_client.api.partners import delete_webhook as delete_webhook
from ocf_client.api.partners import get_partner_proposal as get_partner_proposal
from ocf_client.api.partners import issue_token as issue_token
from ocf_client.api.partners import list_deliveries as list_deliveries
from ocf_client.api.partners import list_webhooks as list_webhooks
from ocf_client.api.partners import put_partner_proposal as put_partner_proposal
from ocf_client.api.partners import update_webhook as update_webhook
from ocf_client.api.policy_areas import list_policy_areas as list_policy_areas
from ocf_client.api.proposals import change_proposal_status as change_proposal_status
from ocf_client.api.proposals import create_proposal as create_proposal
from ocf_client.api.proposals import find_similar_proposals as similar_proposals
from ocf_client.api.proposals import follow_proposal as follow_proposal
from ocf_client.api.proposals import get_proposal as get_proposal
from ocf_client.api.proposals import get_proposal_timeline as proposal_timeline
from ocf_client.api.proposals import list_proposals as list_proposals
from ocf_client.api.proposals import support_proposal as support_proposal
from ocf_client.api.proposals import unfollow_proposal as unfollow_proposal
from ocf_client.api.referrals import acknowledge_referral as acknowledge_referral
from ocf_client.api.referrals import add_referral_follow_up as add_referral_follow_up
from ocf_client.api.referrals import answer_referral as answer_referral
from ocf_client.api.referrals import complete_referral as complete_referral
from ocf_client.api.referrals import create_referral as create_referral
from ocf_client.api.referrals import extend_referral as extend_referral
from ocf_client.api.referrals import get_referral as get_referral
from ocf_client.api.referrals import list_referrals as list_referrals
from ocf_client.api.referrals import suggest_organizations as suggest_organizations
from ocf_client.api.referrals import transfer_referral as transfer_referral
from ocf_client.api.referrals import update_referral_commitment as update_referral_commitment
from ocf_client.api.statistics import get_annual_report as get_annual_report
from ocf_client.api.statistics import get_forum_stats as get_forum_stats
from ocf_client.api.statistics import get_funnel as get_funnel
from ocf_client.api.statistics import get_organization_stats as get_organization_stats
from ocf_client.api.topics import change_topic_status as change_topic_status
from ocf_client.api.topics import create_topic as create_topic
from ocf_client.api.topics import follow_topic as follow_topic
from ocf_client.api.topics import get_topic as get_topic
from ocf_client.api.topics import get_topic_timeline as topic_timeline
from ocf_client.api.topics import list_topics as list_topics
from ocf_client.api.topics import unfollow_topic as unfollow_topic
from ocf_client.api.topics import vote_topic as vote_topic

__all__ = [
    "acknowledge_referral",
    "add_referral_follow_up",
    "advance_forum_agenda",
    "answer_referral",
    "ask_forum_question",
    "change_forum_status",
    "change_proposal_status",
    "change_topic_status",
    "complete_referral",
    "count_unread_notifications",
    "create_channel",
    "create_credential",
    "create_forum",
    "create_organization",
    "create_proposal",
    "create_referral",
    "create_topic",
    "create_webhook",
    "delete_comment",
    "delete_webhook",
    "enter_forum_proposal",
    "export_dataset",
    "extend_referral",
    "follow_forum",
    "follow_forum_updates",
    "follow_proposal",
    "follow_topic",
    "forum_timeline",
    "get_channel",
    "get_comment",
    "get_credential",
    "get_data_dictionary",
    "get_forum",
    "get_forum_outcome",
    "get_annual_report",
    "get_forum_stats",
    "get_funnel",
    "get_me",
    "get_organization",
    "get_organization_stats",
    "get_partner_proposal",
    "get_proposal",
    "get_referral",
    "get_topic",
    "hide_comment",
    "issue_token",
    "like_comment",
    "list_channels",
    "list_credentials",
    "list_deliveries",
    "list_forum_comments",
    "list_forum_questions",
    "list_forum_registrations",
    "list_forums",
    "list_notifications",
    "list_organizations",
    "list_policy_areas",
    "list_proposals",
    "list_referrals",
    "list_topics",
    "list_webhooks",
    "login",
    "mark_forum_attendance",
    "mark_notifications_read",
    "open311_request",
    "open311_requests",
    "open311_services",
    "post_forum_comment",
    "proposal_timeline",
    "put_forum_outcome",
    "put_partner_proposal",
    "refresh_tokens",
    "register",
    "register_for_forum",
    "report_comment",
    "revoke_credential",
    "rotate_credential",
    "set_question_status",
    "similar_proposals",
    "suggest_organizations",
    "support_proposal",
    "topic_timeline",
    "transfer_referral",
    "unfollow_forum_updates",
    "unfollow_proposal",
    "unfollow_topic",
    "unhide_comment",
    "unvote_question",
    "update_channel",
    "update_comment",
    "update_referral_commitment",
    "update_user",
    "update_webhook",
    "vote_question",
    "vote_topic",
]
