//! Made-up people for demo sign-ups: common surnames (Shanghai's 沈, 顾, 陆, 钱 among them)
//! and given names, and numbers from ranges the other demo content does not use.

use super::rng::Rng;

#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "朱", "马",
    "胡", "郭", "林", "何", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "邓", "冯",
    "韩", "曹", "沈", "顾", "陆", "金", "姚", "钱", "蒋", "倪",
];

#[rustfmt::skip]
const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "霞", "平", "刚", "秀英", "桂英", "建华", "建国", "海燕", "雪梅", "志强",
    "晓峰", "丽华", "春燕", "国平", "文斌", "佳怡", "子涵", "浩然", "欣怡", "美玲", "卫东",
    "红梅", "立新", "晨", "婷",
];

pub(super) fn name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

/// The `n`th demo resident's number (up to 10,000 of them).
pub(super) fn resident_phone(n: usize) -> String {
    format!("1370000{:04}", n % 10_000)
}
