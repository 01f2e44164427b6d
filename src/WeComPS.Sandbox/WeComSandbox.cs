using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Sandbox
{
    /// <summary>
    /// An in-memory WeCom corp that answers the contacts API as WeCom documents it: access tokens per secret,
    /// visible scopes, withheld fields, the documented rules and errcodes. Tests can script faults and latency
    /// and read how often each API was called. Thread-safe.
    /// </summary>
    public sealed partial class WeComSandbox
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, SandboxApp> _apps = new Dictionary<string, SandboxApp>(StringComparer.Ordinal);
        private readonly Dictionary<string, IssuedToken> _tokens = new Dictionary<string, IssuedToken>(StringComparer.Ordinal);
        private readonly SortedDictionary<int, SandboxDepartment> _departments = new SortedDictionary<int, SandboxDepartment>();
        private readonly Dictionary<string, SandboxUser> _users = new Dictionary<string, SandboxUser>(StringComparer.OrdinalIgnoreCase);
        private readonly SortedDictionary<int, SandboxTag> _tags = new SortedDictionary<int, SandboxTag>();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<SandboxFault>> _faults = new ConcurrentDictionary<string, ConcurrentQueue<SandboxFault>>();
        private readonly ConcurrentDictionary<string, int> _calls = new ConcurrentDictionary<string, int>();
        private readonly Dictionary<string, Func<Call, JsonObject>> _routes;
        private readonly HashSet<string> _readPaths;
        private int _inFlight;
        private int _maxInFlight;
        private long _tokenSerial;

        public WeComSandbox(string corpId)
        {
            CorpId = corpId;
            var reads = ReadRoutes();
            _readPaths = new HashSet<string>(reads.Keys, StringComparer.Ordinal);
            _routes = Routes(reads);
        }

        public string CorpId { get; }

        /// <summary>expires_in of issued tokens (WeCom: 7200 s).</summary>
        public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

        /// <summary>Added to every call before it is served.</summary>
        public TimeSpan Latency { get; set; }

        /// <summary>
        /// The corp is bound to Tencent Exmail (腾讯企业邮): members' emails are changed there, and user/update ignores a
        /// new email without an error, as the user/update page says.
        /// </summary>
        public bool ExmailBound { get; set; }

        /// <summary>The most calls that were being served at the same moment.</summary>
        public int MaxConcurrentCalls => Volatile.Read(ref _maxInFlight);

        /// <summary>How many calls reached <paramref name="path"/> (e.g. "gettoken", "user/list").</summary>
        public int CallCount(string path) => _calls.TryGetValue(path, out var n) ? n : 0;

        /// <summary>Calls to every path.</summary>
        public int TotalCalls => _calls.Values.Sum();

        public void ResetStatistics()
        {
            _calls.Clear();
            _succeeded.Clear();
            Interlocked.Exchange(ref _maxInFlight, 0);
            Interlocked.Exchange(ref _cancelledCalls, 0);
            Interlocked.Exchange(ref _faultsInjected, 0);
        }

        public void AddApp(SandboxApp app)
        {
            lock (_gate)
            {
                _apps[app.Secret] = app;
            }
        }

        public void AddDepartment(SandboxDepartment department)
        {
            lock (_gate)
            {
                _departments[department.Id] = department;
            }
        }

        public void AddUser(SandboxUser user)
        {
            lock (_gate)
            {
                StoreUser(user);
                _membersByDepartment = null;
            }
        }

        public void AddTag(SandboxTag tag)
        {
            lock (_gate)
            {
                _tags[tag.Id] = tag;
            }
        }

        /// <summary>The next <paramref name="times"/> calls to <paramref name="path"/> fail with <paramref name="fault"/>.</summary>
        public void Inject(string path, SandboxFault fault, int times = 1)
        {
            var queue = _faults.GetOrAdd(path, _ => new ConcurrentQueue<SandboxFault>());
            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(fault);
            }
        }

        /// <summary>WeCom revokes every issued token early: their next use answers 40014.</summary>
        public void RevokeTokens() => UpdateTokens(t => t.Revoked = true);

        /// <summary>Every issued token expires now: its next use answers 42001.</summary>
        public void ExpireTokens() => UpdateTokens(t => t.ExpiresAt = DateTime.UtcNow.AddSeconds(-1));

        /// <summary>
        /// Serves one call after the configured latency: what the in-process handler and the HTTP host run. A
        /// multipart/form-data request (media/upload) comes as <paramref name="form"/> instead of <paramref name="body"/>.
        /// An injected fault may delay it, hang it until <paramref name="cancellationToken"/> fires, or replace its
        /// answer before or after the call is applied.
        /// </summary>
        public async Task<SandboxResponse> HandleAsync(string method, string path, string query, string? body, CancellationToken cancellationToken, SandboxForm? form = null)
        {
            var now = Interlocked.Increment(ref _inFlight);
            try
            {
                int max;
                while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
                {
                }

                if (Latency > TimeSpan.Zero)
                {
                    await Task.Delay(Latency, cancellationToken).ConfigureAwait(false);
                }

                path = path.Trim('/');
                var fault = Arrive(method, path, query, body);
                if (fault is { AfterApply: false, Delay: var before } && before != TimeSpan.Zero)
                {
                    await Task.Delay(before, cancellationToken).ConfigureAwait(false);
                }

                var answer = Serve(path, query, body, form, fault);
                if (fault is { AfterApply: true, Delay: var after } && after != TimeSpan.Zero)
                {
                    await Task.Delay(after, cancellationToken).ConfigureAwait(false);
                }

                return answer;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _cancelledCalls);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        /// <summary>The reads WeCom refuses (48009) to a contacts-sync secret called from an IP added after 2022-08-15.</summary>
        private static readonly HashSet<string> DetailReads = new HashSet<string>(StringComparer.Ordinal)
        {
            "user/get", "user/list", "user/simplelist", "department/list", "department/get", "export/simple_user", "export/user", "export/department",
        };

        /// <summary>
        /// Serves one call at once: <paramref name="path"/> below /cgi-bin/ (or an export file's path), the raw query
        /// string, the JSON body or the uploaded form. Injected faults that replace the answer apply; latency and the
        /// delays of slow and hung faults do not.
        /// </summary>
        public SandboxResponse Handle(string method, string path, string query, string? body, SandboxForm? form = null)
        {
            path = path.Trim('/');
            return Serve(path, query, body, form, Arrive(method, path, query, body));
        }

        /// <summary>Counts a call that reached <paramref name="path"/> and picks the fault it meets, if any. Export files count as one route, whatever their id.</summary>
        private SandboxFault? Arrive(string method, string path, string query, string? body)
        {
            var route = RouteOf(path);
            _calls.AddOrUpdate(route, 1, (_, n) => n + 1);
            return NextFault(method, route, query, body);
        }

        private static string RouteOf(string path) => IsExportFile(path) ? ExportFileRoute : path;

        /// <summary>The call's answer: the fault's instead (nothing applied), or the call served and then, after apply, the fault's.</summary>
        private SandboxResponse Serve(string path, string query, string? body, SandboxForm? form, SandboxFault? fault)
        {
            if (fault is { ReplacesAnswer: true, AfterApply: false })
            {
                return Answer(fault, path);
            }

            var answer = Execute(path, query, body, form);
            return fault is { ReplacesAnswer: true } ? Answer(fault, path) : answer;
        }

        private SandboxResponse Execute(string path, string query, string? body, SandboxForm? form)
        {
            var args = ParseQuery(query);
            try
            {
                JsonObject result;
                lock (_gate)
                {
                    AdvanceJobs();
                    if (RouteOf(path) == ExportFileRoute)
                    {
                        return ServeExportFile(path, args);
                    }

                    if (path == "gettoken")
                    {
                        result = GetToken(args);
                    }
                    else if (_routes.TryGetValue(path, out var route))
                    {
                        var app = Authenticate(args);
                        Admit(app, path);
                        var json = string.IsNullOrEmpty(body) ? new JsonObject() : JsonNode.Parse(body!) as JsonObject ?? throw new ApiError(47001, "data format error");
                        try
                        {
                            result = route(new Call(app, args, json) { Form = form });
                        }
                        finally
                        {
                            ChangedBy(path);
                        }
                    }
                    else
                    {
                        throw new ApiError(404, $"invalid url: /cgi-bin/{path} is not part of the contacts API sandbox");
                    }
                }

                // The answer holds copies of the data, so it is written out of the lock, alongside other calls.
                return Succeeded(path, result, SuccessMessage(path));
            }
            catch (ApiError error)
            {
                return Json(new JsonObject { ["errcode"] = error.Code, ["errmsg"] = ErrMsg(error.Message, error.Code) });
            }
            catch (JsonException)
            {
                return Json(new JsonObject { ["errcode"] = 47001, ["errmsg"] = ErrMsg("data format error", 47001) });
            }
        }

        /// <summary>Every API path the sandbox serves besides gettoken: the reads, the writes, the jobs and the exports in one table.</summary>
        private Dictionary<string, Func<Call, JsonObject>> Routes(Dictionary<string, Func<Call, JsonObject>> reads)
        {
            var routes = new Dictionary<string, Func<Call, JsonObject>>(reads, StringComparer.Ordinal);
            foreach (var table in new[] { WriteRoutes(), JobRoutes(), ExportRoutes() })
            {
                foreach (var route in table)
                {
                    routes.Add(route.Key, route.Value);
                }
            }

            return routes;
        }

        private static SandboxResponse Answer(SandboxFault fault, string path)
        {
            if (fault.Reset)
            {
                return new SandboxResponse(0, "", reset: true);
            }

            if (fault.Malformed)
            {
                return new SandboxResponse(200, "{\"errcode\":0,\"errmsg\":\"ok\",\"userl");
            }

            return fault.HttpStatus != 200
                ? new SandboxResponse(fault.HttpStatus, "<html><body>" + fault.HttpStatus + " upstream error</body></html>")
                : Json(new JsonObject { ["errcode"] = fault.ErrCode, ["errmsg"] = ErrMsg("injected fault on " + path, fault.ErrCode) });
        }

        private JsonObject GetToken(Dictionary<string, string> args)
        {
            if (!args.TryGetValue("corpid", out var corpId) || corpId != CorpId)
            {
                throw new ApiError(40013, "invalid corpid");
            }

            if (!args.TryGetValue("corpsecret", out var secret) || secret.Length == 0)
            {
                throw new ApiError(41004, "corpsecret missing");
            }

            if (!_apps.ContainsKey(secret))
            {
                throw new ApiError(40001, "invalid credential, access_token is invalid or not latest");
            }

            // Within its validity WeCom returns the same token again.
            var now = DateTime.UtcNow;
            var current = _tokens.Values.FirstOrDefault(t => t.Secret == secret && !t.Revoked && t.ExpiresAt > now);
            if (current is null)
            {
                current = new IssuedToken(secret, NewToken(), now + TokenLifetime);
                _tokens[current.Value] = current;
            }

            return new JsonObject { ["access_token"] = current.Value, ["expires_in"] = (long)(current.ExpiresAt - now).TotalSeconds };
        }

        private string NewToken()
        {
            var serial = Interlocked.Increment(ref _tokenSerial);
            return "sbx" + serial.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        }

        private SandboxApp Authenticate(Dictionary<string, string> args)
        {
            if (!args.TryGetValue("access_token", out var value) || value.Length == 0)
            {
                throw new ApiError(41001, "access_token missing");
            }

            if (!_tokens.TryGetValue(value, out var token) || token.Revoked)
            {
                throw new ApiError(40014, "invalid access_token");
            }

            if (token.ExpiresAt <= DateTime.UtcNow)
            {
                throw new ApiError(42001, "access_token expired");
            }

            return _apps[token.Secret];
        }

        private void UpdateTokens(Action<IssuedToken> update)
        {
            lock (_gate)
            {
                foreach (var token in _tokens.Values)
                {
                    update(token);
                }
            }
        }

        private static Dictionary<string, string> ParseQuery(string query)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(eq < 0 ? pair : pair.Substring(0, eq));
                result[key] = eq < 0 ? "" : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
            }

            return result;
        }

        private static string ErrMsg(string message, int code) =>
            $"{message}, hint: [{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}-sandbox-{code}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e={code}";

        private static SandboxResponse Ok(JsonObject result, string message = "ok")
        {
            var answer = new JsonObject { ["errcode"] = 0, ["errmsg"] = message };
            foreach (var property in result.ToList())
            {
                result.Remove(property.Key);
                answer[property.Key] = property.Value;
            }

            return Json(answer);
        }

        private static SandboxResponse Json(JsonObject answer) => new SandboxResponse(200, answer.ToJsonString());

        private sealed class IssuedToken
        {
            public IssuedToken(string secret, string value, DateTime expiresAt)
            {
                Secret = secret;
                Value = value;
                ExpiresAt = expiresAt;
            }

            public string Secret { get; }
            public string Value { get; }
            public DateTime ExpiresAt { get; set; }
            public bool Revoked { get; set; }
        }

        /// <summary>A WeCom error answer raised by a rule.</summary>
        private sealed class ApiError : Exception
        {
            public ApiError(int code, string message)
                : base(message) => Code = code;

            public int Code { get; }
        }

        private sealed class Call
        {
            public Call(SandboxApp app, Dictionary<string, string> query, JsonObject body)
            {
                App = app;
                Query = query;
                Body = body;
            }

            public SandboxApp App { get; }
            public Dictionary<string, string> Query { get; }
            public JsonObject Body { get; }
            /// <summary>The uploaded form of a multipart request.</summary>
            public SandboxForm? Form { get; set; }
        }
    }
}
