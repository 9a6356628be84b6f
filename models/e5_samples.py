"""A fixed sample of customer-service sentences (Chinese and English) for parity and speed checks."""

from __future__ import annotations

SAMPLE_SENTENCES: tuple[str, ...] = (
    "退货运费谁来承担？",
    "我的订单什么时候发货？",
    "七天无理由退货需要满足什么条件",
    "快递显示已签收但我没有收到包裹",
    "发票可以开增值税专用发票吗",
    "优惠券为什么不能和满减活动一起用",
    "账号被冻结了怎么解冻",
    "我想修改收货地址，订单已经付款了",
    "商品有质量问题，可以换货吗？",
    "客服工作时间是几点到几点",
    "退款多久能到账？原路退回吗",
    "会员积分怎么兑换礼品",
    "How much does return shipping cost?",
    "When will my order be shipped?",
    "I received a damaged item, can I get a replacement?",
    "Can I change the delivery address after payment?",
    "How long does a refund take to reach my card?",
    "Do you ship to Hong Kong and Macau?",
    "我要转人工客服 please let me talk to a human agent",
    "Order #20240518-7731 还没发货，能帮我催一下吗",
)
