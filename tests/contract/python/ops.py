"""The generated client's operation modules the flows use: the only place that names them.

openapi-python-client names each module after its operation's `operationId`, in a package named after the
operation's first tag (`ocf_client.api.<tag>.<operation_id>`). When an operationId is renamed in the
OpenAPI document, change the import here; `mypy --strict` points at every one that no longer exists.
The names on the left are the operationIds; those after `as` are what the flows call.
"""

from ocf_client.api.accounts import get_my_account as get_me
from ocf_client.api.accounts import log_in as login
from ocf_client.api.accounts import register_account as register
from ocf_client.api.policy_areas import list_policy_areas as list_policy_areas
from ocf_client.api.proposals import create_proposal as create_proposal
from ocf_client.api.proposals import get_proposal as get_proposal
from ocf_client.api.proposals import list_proposals as list_proposals
from ocf_client.api.proposals import find_similar_proposals as similar_proposals
from ocf_client.api.proposals import get_proposal_timeline as proposal_timeline
from ocf_client.api.proposals import support_proposal as support_proposal
from ocf_client.api.topics import change_topic_status as change_topic_status
from ocf_client.api.topics import create_topic as create_topic
from ocf_client.api.topics import get_topic as get_topic
from ocf_client.api.topics import get_topic_timeline as topic_timeline
from ocf_client.api.topics import list_topics as list_topics
from ocf_client.api.topics import vote_topic as vote_topic

__all__ = [
    "change_topic_status",
    "create_proposal",
    "create_topic",
    "get_me",
    "get_proposal",
    "get_topic",
    "list_policy_areas",
    "list_proposals",
    "list_topics",
    "login",
    "proposal_timeline",
    "register",
    "similar_proposals",
    "support_proposal",
    "topic_timeline",
    "vote_topic",
]
