//! The end-to-end harness: starts `tauri-driver` (which starts WebKitWebDriver, which starts the real app
//! binary) and hands tests a WebDriver client. Needs a display (`xvfb-run`), `tauri-driver` on PATH and the
//! app built (`cargo build`). The driver runs in its own process group and is stopped with SIGTERM so it
//! takes WebKitWebDriver down with it (SIGKILL would orphan it and hang the pipeline).

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

pub struct Driver {
    child: Child,
    pub port: u16,
    // Held until the driver (and its window) is gone: see [`ONE_WINDOW`].
    _window: MutexGuard<'static, ()>,
}

/// One app window at a time: the tests share one binary, and two windows on this machine's two cores make
/// each other's clicks and waits time out.
static ONE_WINDOW: Mutex<()> = Mutex::new(());

impl Drop for Driver {
    fn drop(&mut self) {
        let group = -(self.child.id() as i32);
        // SAFETY: kill(2) on our own child's process group; no memory is touched.
        #[allow(unsafe_code)]
        unsafe {
            libc::kill(group, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        #[allow(unsafe_code)]
        unsafe {
            libc::kill(group, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// The desktop binary under test: `$SHOWRUNNER_APP_BIN`, else `<target>/debug/showrunner-app`.
pub fn app_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("SHOWRUNNER_APP_BIN") {
        return PathBuf::from(bin);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("debug/showrunner-app")
}

/// Where the app's log goes (it logs to stderr, which tauri-driver passes on): `$SHOWRUNNER_E2E_APP_LOG`, a
/// file, when set; else nowhere.
fn app_log() -> Stdio {
    std::env::var_os("SHOWRUNNER_E2E_APP_LOG")
        .and_then(|path| std::fs::File::create(path).ok())
        .map_or_else(Stdio::null, Stdio::from)
}

/// Starts tauri-driver; the app it launches uses `data_dir` for its database and audio.
pub fn start_driver(data_dir: &Path) -> Driver {
    start_driver_with(data_dir, &[])
}

/// [`start_driver`] with `env` added to the app's environment (keys, provider addresses): set on the driver
/// process, never on this test process, so no other test's app sees them.
pub fn start_driver_with(data_dir: &Path, env: &[(String, String)]) -> Driver {
    // A test that panicked holding the lock has dropped its window already.
    let window = ONE_WINDOW.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "DISPLAY is not set: run the e2e tests under `xvfb-run -a`"
    );
    assert!(
        app_binary().exists(),
        "build the app first (`cargo build`): {} is missing",
        app_binary().display()
    );
    let (port, native) = (free_port(), free_port());
    let child = Command::new("tauri-driver")
        .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
        .env("SHOWRUNNER_DATA_DIR", data_dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(app_log())
        .process_group(0)
        .spawn()
        .expect("tauri-driver must be installed (cargo install tauri-driver --version '^2' --locked)");
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not start listening within 15 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Driver {
        child,
        port,
        _window: window,
    }
}

pub async fn launch(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app_binary() }),
    );
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session with the app");
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("body[data-ready='1']"))
        .await
        .expect("the app mounts");
    client
}

pub fn testid(id: &str) -> String {
    format!("[data-testid='{id}']")
}

/// Waits for an element by test id.
pub async fn find(c: &Client, id: &str, within: Duration) -> Element {
    let css = testid(id);
    c.wait()
        .at_most(within)
        .for_element(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("{id} did not appear within {within:?}: {e}"))
}

/// Brings `id` to the middle of the window and clicks it; a click the driver refuses (the element still
/// under a notice or moving into place, which happens on a loaded machine) is tried again a few times.
pub async fn click(c: &Client, id: &str) {
    for attempt in 1..=5 {
        let el = find(c, id, Duration::from_secs(10)).await;
        let _ = c
            .execute(
                "arguments[0].scrollIntoView({ block: 'center' });",
                vec![serde_json::to_value(&el).expect("the element as a script argument")],
            )
            .await;
        match el.click().await {
            Ok(()) => return,
            Err(e) if attempt < 5 => {
                eprintln!("click {id} (attempt {attempt}): {e:?}; trying again");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => panic!("click {id}: {e:?}"),
        }
    }
}

pub async fn type_into(c: &Client, id: &str, text: &str) {
    let el = find(c, id, Duration::from_secs(10)).await;
    el.clear().await.unwrap_or_else(|e| panic!("clear {id}: {e}"));
    el.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {id}: {e}"));
}

/// Polls until `check` returns `Some`, or panics with `what`.
pub async fn eventually<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {within:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub async fn attr(c: &Client, id: &str, name: &str) -> Option<String> {
    let el = c.find(Locator::Css(&testid(id))).await.ok()?;
    el.attr(name).await.ok().flatten()
}

/// Creates a show from the starter brand voice on the Shows screen, with `minutes` as its target length
/// (and `format`, a label, as its default format), and waits for it in the list.
pub async fn create_show(c: &Client, name: &str, minutes: &str, format: Option<&str>) {
    click(c, "nav-shows").await;
    click(c, "show-new").await;
    type_into(c, "show-name", name).await;
    type_into(c, "show-minutes", minutes).await;
    if let Some(format) = format {
        let select = find(c, "show-format", Duration::from_secs(10)).await;
        select
            .select_by_label(format)
            .await
            .unwrap_or_else(|e| panic!("pick the default format {format}: {e}"));
    }
    click(c, "show-save").await;
    eventually(Duration::from_secs(10), "the new show in the list", || async {
        let body = c.find(Locator::Css("body")).await.ok()?.text().await.ok()?;
        body.contains(name).then_some(())
    })
    .await;
}

/// Where screenshots go: `$SHOWRUNNER_E2E_SHOTS` or `<target>/e2e-screenshots`.
pub fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("SHOWRUNNER_E2E_SHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            app_binary()
                .parent()
                .and_then(Path::parent)
                .map(|t| t.join("e2e-screenshots"))
                .unwrap_or_default()
        });
    std::fs::create_dir_all(&dir).expect("create the screenshot folder");
    dir
}

pub async fn screenshot(c: &Client, name: &str) -> PathBuf {
    let png = c
        .screenshot()
        .await
        .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
    let path = screenshot_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write the screenshot");
    println!("screenshot: {}", path.display());
    path
}
