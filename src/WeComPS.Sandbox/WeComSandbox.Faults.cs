using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;

namespace WeComPS.Sandbox
{
    // Faults on a seeded random schedule, and the statistics that show what a client did: calls served and cancelled,
    // changes applied, tokens issued.
    public sealed partial class WeComSandbox
    {
        private readonly List<FaultSchedule> _schedules = new List<FaultSchedule>();
        private readonly ConcurrentDictionary<string, int> _sent = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _succeeded = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private int _cancelledCalls;
        private int _faultsInjected;

        /// <summary>Calls being served right now.</summary>
        public int InFlightCalls => Volatile.Read(ref _inFlight);

        /// <summary>Calls the client abandoned (cancelled or timed out) while the sandbox was still serving them.</summary>
        public int CancelledCalls => Volatile.Read(ref _cancelledCalls);

        /// <summary>How many calls met an injected fault, queued or scheduled.</summary>
        public int FaultsInjected => Volatile.Read(ref _faultsInjected);

        /// <summary>
        /// How many calls to <paramref name="path"/> were served with errcode 0, including those whose answer a fault
        /// then lost: for a write, how often it was applied.
        /// </summary>
        public int SucceededCount(string path) => _succeeded.TryGetValue(path, out var n) ? n : 0;

        /// <summary>How many calls reached each path so far.</summary>
        public IReadOnlyDictionary<string, int> CallCounts => new SortedDictionary<string, int>(_calls, StringComparer.Ordinal);

        /// <summary>Every access token the sandbox has issued, e.g. to check that none leaks into a client's output.</summary>
        public IReadOnlyList<string> IssuedTokens
        {
            get
            {
                lock (_gate)
                {
                    return _tokens.Keys.ToList();
                }
            }
        }

        /// <summary>Adds a schedule of random faults; it applies alongside those injected with <see cref="Inject"/>.</summary>
        public void AddFaults(FaultSchedule schedule)
        {
            lock (_schedules)
            {
                _schedules.Add(schedule);
            }
        }

        /// <summary>Removes every fault still queued or scheduled; schedules added later draw as if no request had been sent.</summary>
        public void ClearFaults()
        {
            lock (_schedules)
            {
                _schedules.Clear();
            }

            _faults.Clear();
            _sent.Clear();
        }

        /// <summary>The fault a call meets: the next one queued for its path, else one its schedules draw.</summary>
        private SandboxFault? NextFault(string method, string path, string query, string? body)
        {
            var fault = _faults.TryGetValue(path, out var queue) && queue.TryDequeue(out var queued) ? queued : Scheduled(method, path, query, body);
            if (fault != null)
            {
                Interlocked.Increment(ref _faultsInjected);
            }

            return fault;
        }

        private SandboxFault? Scheduled(string method, string path, string query, string? body)
        {
            FaultSchedule[] schedules;
            lock (_schedules)
            {
                if (_schedules.Count == 0)
                {
                    return null;
                }

                schedules = _schedules.ToArray();
            }

            var args = ParseQuery(query);
            args.Remove("access_token");
            var call = new SandboxCall(method, path, args, body);
            // A retry is the same request again: its key leaves out the token, its count tells the attempts apart.
            var key = method + " " + path + "?" + string.Join("&", args.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value)) + "\n" + body;
            var sent = _sent.AddOrUpdate(key, 1, (_, n) => n + 1);
            foreach (var schedule in schedules)
            {
                // A token is never refused by gettoken itself, which hands them out.
                if (schedule.Draw(call, key, sent) is { } fault && !(path == "gettoken" && IsTokenRefusal(fault.ErrCode)))
                {
                    return fault;
                }
            }

            return null;
        }

        private static bool IsTokenRefusal(int errCode) => errCode == 40014 || errCode == 42001 || errCode == 40001;

        /// <summary>A successful answer, counted for <see cref="SucceededCount"/>.</summary>
        private SandboxResponse Succeeded(string path, JsonObject result, string message = "ok")
        {
            _succeeded.AddOrUpdate(path, 1, (_, n) => n + 1);
            return Ok(result, message);
        }
    }

    /// <summary>
    /// Faults on a seeded random schedule: each call that matches <see cref="Where"/> meets one of <see cref="Faults"/>
    /// with probability <see cref="Rate"/>. The draw depends only on the seed, the request (method, path, query without
    /// the token, body) and how often that request was sent before, never on timing or on the order of concurrent
    /// calls, so a schedule fails the same requests, and the same attempts of them, in every run.
    /// </summary>
    public sealed class FaultSchedule
    {
        /// <summary>Faults drawn from <paramref name="faults"/> for a share <paramref name="rate"/> of the calls, by <paramref name="seed"/>.</summary>
        public FaultSchedule(int seed, double rate, params SandboxFault[] faults)
        {
            if (rate < 0 || rate > 1 || faults.Length == 0)
            {
                throw new ArgumentException("A schedule needs a rate between 0 and 1 and at least one fault.");
            }

            Seed = seed;
            Rate = rate;
            Faults = faults;
        }

        /// <summary>The seed of the draws: the same seed faults the same requests.</summary>
        public int Seed { get; }

        /// <summary>The share of matching calls that meet a fault, 0 to 1.</summary>
        public double Rate { get; }

        /// <summary>The faults drawn from, each equally likely.</summary>
        public IReadOnlyList<SandboxFault> Faults { get; }

        /// <summary>Only calls for which this is true can meet a fault; all calls when null.</summary>
        public Func<SandboxCall, bool>? Where { get; set; }

        /// <summary>
        /// Only the first this many sendings of a request can meet a fault (null: every sending), so a client with a
        /// larger retry budget always gets through; leave it null to model faults that persist.
        /// </summary>
        public int? MaxPerRequest { get; set; }

        /// <summary>The fault the <paramref name="sent"/>-th sending of request <paramref name="key"/> meets, or null.</summary>
        internal SandboxFault? Draw(SandboxCall call, string key, int sent)
        {
            if ((MaxPerRequest is { } max && sent > max) || (Where != null && !Where(call)))
            {
                return null;
            }

            var draw = Mix(Seed, key, sent);
            if ((draw >> 11) * (1.0 / (1UL << 53)) >= Rate)
            {
                return null;
            }

            return Faults[(int)(Mix(~Seed, key, sent) % (ulong)Faults.Count)];
        }

        public override string ToString() => $"{string.Join(", ", Faults)} at {Rate.ToString("P0", CultureInfo.InvariantCulture)} (seed {Seed})";

        /// <summary>A 64-bit hash of seed, key and count (FNV-1a, then the SplitMix64 finaliser).</summary>
        private static ulong Mix(int seed, string key, int sent)
        {
            var hash = 14695981039346656037UL ^ (uint)seed;
            foreach (var c in key)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ (uint)sent) * 1099511628211UL;
            hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
            hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
            return hash ^ (hash >> 31);
        }
    }

    /// <summary>A call as a fault schedule sees it: method, API path, query (without the access token) and body.</summary>
    public sealed class SandboxCall
    {
        internal SandboxCall(string method, string path, IReadOnlyDictionary<string, string> query, string? body)
        {
            Method = method;
            Path = path;
            Query = query;
            Body = body;
        }

        /// <summary>GET or POST.</summary>
        public string Method { get; }
        /// <summary>The API path below /cgi-bin/, e.g. <c>user/list</c>.</summary>
        public string Path { get; }
        /// <summary>The query parameters, unescaped, without the access token.</summary>
        public IReadOnlyDictionary<string, string> Query { get; }
        /// <summary>The JSON body, if any.</summary>
        public string? Body { get; }
    }
}
