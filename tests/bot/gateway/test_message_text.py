from bot.gateway.message_text import clean_customer_text


def test_binary_junk_and_control_characters_are_removed() -> None:
    assert clean_customer_text("\x00\x01订单\x7f到哪了\ufffe") == "订单到哪了"


def test_whitespace_only_becomes_empty() -> None:
    assert clean_customer_text(" \n\t\u3000 ") == ""


def test_emoji_html_and_sql_are_kept_as_typed() -> None:
    for text in ("😡😡😡", "<script>alert(1)</script>", "1'; DROP TABLE orders;--"):
        assert clean_customer_text(text) == text


def test_text_is_nfc_normalised() -> None:
    assert clean_customer_text("e\u0301") == "\u00e9"
