from django.utils import translation

from complaintdesk.core.text import join_list


def test_lists_join_the_readers_way():
    with translation.override("zh-hans"):
        assert join_list(["退款", "道歉"]) == "退款、道歉"
    with translation.override("en"):
        assert join_list(["refund", "apology"]) == "refund, apology"
    assert join_list([]) == ""
