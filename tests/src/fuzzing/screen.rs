//! The screen harness: a device must never accept a message it cannot show. Whatever message
//! the C library validates (`sh_msg_validate`) must give a summary (`sh_summary_item_count`)
//! whose every item renders (`sh_summary_item`) into the library's documented buffer sizes on
//! one page, and page by page into small value buffers (down to 5 bytes, which always hold a
//! character), the pages joining into the whole value.
//!
//! The message is either an arbitrary [`Msg`], encoded, or arbitrary bytes; the shared records
//! and the context are arbitrary too, so dates run from 1970 to the end of `u64` and councils
//! have up to 16 members.

use arbitrary::{Arbitrary, Unstructured};
use parity_scale_codec::Encode;
use stakehold::governance::Council;
use stakehold::stake::StakeParams;
use stakehold::{Context, Globals, Msg};
use stakehold_ffi::records::{sh_context, sh_msg_validate};
use stakehold_ffi::status::{SH_NO_SUCH_ITEM, SH_NO_SUCH_PAGE, SH_OK, sh_status};
use stakehold_ffi::summary::{
    SH_MAX_ITEMS, SH_TITLE_CAP, SH_VALUE_CAP, sh_summary_item, sh_summary_item_count,
};

/// A fuzz input.
#[derive(Debug, Arbitrary)]
pub struct Input {
    /// The context.
    pub ctx: Context,
    params: StakeParams,
    council: Council,
    msg: Payload,
    /// A value buffer size the device might have (taken into `5..=SH_VALUE_CAP`).
    value_cap: u8,
}

/// The message under test.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Arbitrary)]
enum Payload {
    Msg(Msg),
    Bytes(Vec<u8>),
}

/// The C call for one item and page, with its outputs.
struct Shown {
    status: sh_status,
    title: String,
    value: String,
    pages: usize,
}

/// The inputs every call shares, as C sees them.
struct Call {
    msg: Vec<u8>,
    ctx: sh_context,
    globals: Vec<u8>,
}

impl Call {
    fn item(&self, index: usize, page: usize, value_cap: usize) -> Shown {
        let mut title = [0u8; SH_TITLE_CAP];
        let mut value = vec![0u8; value_cap];
        let (mut title_len, mut value_len, mut pages) = (0, 0, 0);
        // SAFETY: every pointer is a live buffer of the length passed with it.
        let status = unsafe {
            sh_summary_item(
                self.msg.as_ptr(),
                self.msg.len(),
                &self.ctx,
                self.globals.as_ptr(),
                self.globals.len(),
                index,
                page,
                title.as_mut_ptr().cast(),
                title.len(),
                &mut title_len,
                value.as_mut_ptr().cast(),
                value.len(),
                &mut value_len,
                &mut pages,
            )
        };
        let text = |buf: &[u8], len: usize| {
            if status != SH_OK {
                return String::new();
            }
            assert_eq!(buf.get(len), Some(&0), "missing NUL terminator");
            let bytes = buf.get(..len).expect("length within the buffer");
            assert!(!bytes.contains(&0), "NUL inside the text");
            String::from_utf8(bytes.to_vec()).expect("UTF-8 text")
        };
        Shown {
            title: text(&title, title_len),
            value: text(&value, value_len),
            status,
            pages,
        }
    }
}

/// The `screen` fuzz target.
pub fn run(bytes: &[u8]) {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(bytes)) else {
        return;
    };
    let params = if input.params.validate().is_ok() {
        input.params
    } else {
        StakeParams::btfs()
    };
    let globals = Globals::new(params, input.council).expect("valid parameters");
    let call = Call {
        msg: match input.msg {
            Payload::Msg(msg) => msg.to_bytes(),
            Payload::Bytes(bytes) => bytes,
        },
        ctx: sh_context {
            caller: input.ctx.caller.0,
            now: input.ctx.now.0,
            height: input.ctx.height.0,
        },
        globals: globals.encode(),
    };
    // SAFETY: `msg` is a live buffer of its length.
    if unsafe { sh_msg_validate(call.msg.as_ptr(), call.msg.len()) } != SH_OK {
        return;
    }
    let mut count = 0;
    // SAFETY: every pointer is a live buffer of the length passed with it.
    let status = unsafe {
        sh_summary_item_count(
            call.msg.as_ptr(),
            call.msg.len(),
            &call.ctx,
            call.globals.as_ptr(),
            call.globals.len(),
            &mut count,
        )
    };
    assert_eq!(status, SH_OK, "a valid message has no summary");
    assert!((1..=SH_MAX_ITEMS).contains(&count), "{count} items");

    let small = usize::from(input.value_cap).clamp(5, SH_VALUE_CAP);
    for index in 0..count {
        let whole = call.item(index, 0, SH_VALUE_CAP);
        assert_eq!(whole.status, SH_OK, "item {index} does not render");
        assert_eq!(whole.pages, 1, "item {index} needs pages in a full buffer");
        assert!(!whole.title.is_empty(), "item {index} has no title");
        for cap in [5, small] {
            let mut joined = String::new();
            let mut pages = 1;
            let mut page = 0;
            while page < pages {
                let shown = call.item(index, page, cap);
                assert_eq!(
                    shown.status, SH_OK,
                    "item {index} page {page} of {cap} bytes"
                );
                assert_eq!(shown.title, whole.title);
                assert!(shown.value.len() < cap, "page over its buffer");
                joined.push_str(&shown.value);
                pages = shown.pages;
                page += 1;
            }
            assert_eq!(joined, whole.value, "item {index}: pages of {cap} bytes");
            let past = call.item(index, pages, cap);
            assert_eq!(past.status, SH_NO_SUCH_PAGE, "page past the last");
        }
    }
    let past = call.item(count, 0, SH_VALUE_CAP);
    assert_eq!(past.status, SH_NO_SUCH_ITEM, "item past the last");
}
