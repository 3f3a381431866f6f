use std::ffi::{CStr, c_char, c_void};

use webkit2gtk::WebViewExt;
use webkit2gtk::glib::ffi::{GFALSE, gboolean};
use webkit2gtk::glib::translate::ToGlibPtr;

/// The variables set when the user has not set them, with the values set.
const ENVIRONMENT: [(&str, &str); 2] = [
    // Skia draws on the CPU.
    ("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1"),
    // JavaScriptCore stops at its baseline compiler (no DFG, hence no FTL either).
    ("JSC_useDFGJIT", "0"),
];

/// WebKit's name for composited scrolling of the scrolling areas inside a page.
const ASYNC_OVERFLOW_SCROLLING: &CStr = c"AsyncOverflowScrolling";

pub(crate) fn prepare_process() {
    for (variable, value) in ENVIRONMENT {
        if std::env::var_os(variable).is_none() {
            // SAFETY: `prepare_process` is called first thing in main, before any other thread
            // exists; nothing reads the environment meanwhile.
            #[allow(unsafe_code)]
            unsafe {
                std::env::set_var(variable, value);
            }
        }
    }
}

/// The WebKitGTK in use has no feature switches (they came with 2.42), or none by the name this
/// crate switches: the scrolling areas keep layers of their own, which costs memory only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureSwitchesMissing {
    /// What was missing: a function of WebKitGTK's feature API or the feature itself.
    pub missing: &'static str,
}

impl std::fmt::Display for FeatureSwitchesMissing {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "this WebKitGTK has no {}", self.missing)
    }
}

impl std::error::Error for FeatureSwitchesMissing {}

/// Turns composited scrolling of the page's scrolling areas off for this web view (see the
/// crate's documentation). Call it once the window exists, before its page shows a scrolling
/// area; a WebKitGTK too old to have the switch is left as it is.
pub fn draw_scrolling_areas_with_the_page(
    view: &webkit2gtk::WebView,
) -> Result<(), FeatureSwitchesMissing> {
    let Some(settings) = WebViewExt::settings(view) else {
        return Err(FeatureSwitchesMissing { missing: "settings on this web view" });
    };
    switch_off(&settings, ASYNC_OVERFLOW_SCROLLING)
}

/// Turns one of WebKit's features off in these settings.
fn switch_off(
    settings: &webkit2gtk::Settings,
    identifier: &'static CStr,
) -> Result<(), FeatureSwitchesMissing> {
    let api = FeatureApi::find()?;
    let feature = api.feature(identifier)?;
    let settings_pointer: *mut webkit2gtk::ffi::WebKitSettings = settings.to_glib_none().0;
    // SAFETY: both pointers are live: the settings are borrowed, and the feature is owned by its
    // list, which `feature` keeps until it is dropped after this call.
    #[allow(unsafe_code)]
    unsafe {
        (api.set_feature_enabled)(settings_pointer.cast(), feature.pointer, GFALSE);
    }
    Ok(())
}

type GetAllFeatures = unsafe extern "C" fn() -> *mut c_void;
type FeatureListLength = unsafe extern "C" fn(*mut c_void) -> usize;
type FeatureListGet = unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void;
type FeatureListUnref = unsafe extern "C" fn(*mut c_void);
type FeatureIdentifier = unsafe extern "C" fn(*mut c_void) -> *const c_char;
type SetFeatureEnabled = unsafe extern "C" fn(*mut c_void, *mut c_void, gboolean);

/// WebKitGTK's feature API (2.42 and later), looked up when it is needed: the webkit2gtk crate
/// does not bind it, and linking to it would keep the app from starting on an older WebKitGTK.
struct FeatureApi {
    get_all_features: GetAllFeatures,
    feature_list_length: FeatureListLength,
    feature_list_get: FeatureListGet,
    feature_list_unref: FeatureListUnref,
    feature_identifier: FeatureIdentifier,
    set_feature_enabled: SetFeatureEnabled,
}

/// Looks a function up among the libraries the process has loaded (WebKitGTK is one: the
/// webkit2gtk crate links it).
///
/// # Safety
/// `F` must be the function pointer type of the C function named `name`.
#[allow(unsafe_code)]
unsafe fn function<F: Copy>(name: &'static CStr) -> Result<F, FeatureSwitchesMissing> {
    const { assert!(size_of::<F>() == size_of::<*mut c_void>()) };
    // SAFETY: dlsym with RTLD_DEFAULT only reads the loaded libraries' symbol tables.
    let address = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    if address.is_null() {
        let missing = name.to_str().unwrap_or("feature API");
        return Err(FeatureSwitchesMissing { missing });
    }
    // SAFETY: the caller names F as the function's type; the sizes are asserted equal above.
    Ok(unsafe { std::mem::transmute_copy::<*mut c_void, F>(&address) })
}

impl FeatureApi {
    #[allow(unsafe_code)]
    fn find() -> Result<FeatureApi, FeatureSwitchesMissing> {
        // SAFETY: each type is the C declaration of the function of that name in WebKitGTK's
        // webkit/WebKitFeature.h and webkit/WebKitSettings.h.
        unsafe {
            Ok(FeatureApi {
                get_all_features: function(c"webkit_settings_get_all_features")?,
                feature_list_length: function(c"webkit_feature_list_get_length")?,
                feature_list_get: function(c"webkit_feature_list_get")?,
                feature_list_unref: function(c"webkit_feature_list_unref")?,
                feature_identifier: function(c"webkit_feature_get_identifier")?,
                set_feature_enabled: function(c"webkit_settings_set_feature_enabled")?,
            })
        }
    }

    /// The feature of that identifier, with the list that owns it.
    #[allow(unsafe_code)]
    fn feature(&self, identifier: &'static CStr) -> Result<Feature<'_>, FeatureSwitchesMissing> {
        // SAFETY: the list is a new reference (released by `Feature`'s drop, or below); its
        // items and their identifiers live as long as it does.
        unsafe {
            let list = (self.get_all_features)();
            for index in 0..(self.feature_list_length)(list) {
                let pointer = (self.feature_list_get)(list, index);
                let name = (self.feature_identifier)(pointer);
                if !name.is_null() && CStr::from_ptr(name) == identifier {
                    return Ok(Feature { api: self, list, pointer });
                }
            }
            (self.feature_list_unref)(list);
        }
        let missing = identifier.to_str().unwrap_or("feature");
        Err(FeatureSwitchesMissing { missing })
    }
}

/// One feature, kept alive by the list it came from.
struct Feature<'api> {
    api: &'api FeatureApi,
    list: *mut c_void,
    pointer: *mut c_void,
}

impl Drop for Feature<'_> {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        // SAFETY: the list is the reference `FeatureApi::feature` took; released once, here.
        unsafe { (self.api.feature_list_unref)(self.list) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WebKitGTK builds its feature list the first time it is asked, and not safely from two
    /// threads at once (the process aborts). The app asks from the window's thread only; the tests,
    /// each on a thread of its own, take turns through this lock.
    static ONE_THREAD_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn one_thread_at_a_time() -> std::sync::MutexGuard<'static, ()> {
        ONE_THREAD_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The feature API of the WebKitGTK this test binary links. Asking WebKitGTK its version makes
    /// the binary link it, as Tauri does in the app (else the linker drops it as unused).
    #[allow(unsafe_code)]
    fn feature_api() -> FeatureApi {
        // SAFETY: a plain getter of a constant.
        let major = unsafe { webkit2gtk::ffi::webkit_get_major_version() };
        // SAFETY: as above.
        let minor = unsafe { webkit2gtk::ffi::webkit_get_minor_version() };
        FeatureApi::find().unwrap_or_else(|missing| panic!("WebKitGTK {major}.{minor}: {missing}"))
    }

    /// WebKit names its features with plain strings: when an update renames or drops the one this
    /// crate switches off, this fails (the app would only lose the memory it saves). Switching it
    /// needs a web view's settings, hence a display: the desktop benchmark measures that part.
    #[test]
    fn this_webkitgtk_has_the_switch_for_composited_scrolling_areas() {
        let _turn = one_thread_at_a_time();
        let api = feature_api();
        let feature = api.feature(ASYNC_OVERFLOW_SCROLLING).expect("the feature");
        assert!(!feature.pointer.is_null());
    }

    #[test]
    fn an_unknown_feature_is_named_as_missing() {
        let _turn = one_thread_at_a_time();
        let api = feature_api();
        let error = api.feature(c"NoSuchFeatureInWebKit").err().expect("no such feature");
        assert_eq!(error.to_string(), "this WebKitGTK has no NoSuchFeatureInWebKit");
    }
}
