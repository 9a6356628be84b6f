from retrieval.ingest.pages import read_html, read_markdown, read_text

MARKDOWN = """# 配送说明
开头。
## 发货时间
16:00前付款当天发货。详见[帮助](https://h.example/s)。
## 运费
满99元包邮。
"""


def test_markdown_sections_become_titled_chunks():
    chunks = read_markdown(MARKDOWN, "policies/ship.md", max_chars=300, overlap=1)
    assert [(c.chunk_id, c.title, c.text) for c in chunks] == [
        ("policies/ship#0", "配送说明", "开头。"),
        ("policies/ship#1", "配送说明 > 发货时间", "16:00前付款当天发货。详见帮助。"),
        ("policies/ship#2", "配送说明 > 运费", "满99元包邮。"),
    ]
    assert {c.doc_id for c in chunks} == {"policies/ship"} and chunks[1].links == ["https://h.example/s"]
    assert len({c.version for c in chunks}) == 1


def test_html_keeps_headings_and_drops_scripts():
    html = "<html><head><title>t</title></head><body><h1>指南</h1><h2>发票</h2><p>48小时内开具。</p>" \
           "<script>alert(1)</script></body></html>"
    (chunk,) = read_html(html, "g.html", 300, 1)
    assert (chunk.title, chunk.text) == ("指南 > 发票", "48小时内开具。")


def test_plain_text_first_line_is_title():
    (chunk,) = read_text("服务时间\n每天09:00–22:00。", "hours.txt", 300, 1)
    assert (chunk.doc_id, chunk.title, chunk.text) == ("hours", "服务时间", "每天09:00–22:00。")
