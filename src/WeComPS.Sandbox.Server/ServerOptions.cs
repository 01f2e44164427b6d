using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WeComPS.Sandbox
{
    /// <summary>
    /// The sandbox server's command line: <c>[port] [--port N] [--latency-ms N] [--generate MEMBERS [--departments N]]
    /// [--seed N] [--faults KIND,KIND --fault-rate R] [--job-rows-per-second N] [--exmail-bound] [--debug-endpoints] [--proxy]</c>. Without
    /// --generate it serves the sample corp; without --debug-endpoints it serves no /debug/ endpoint.
    /// </summary>
    internal sealed class ServerOptions
    {
        public int Port { get; private set; }
        public TimeSpan Latency { get; private set; }
        /// <summary>Members of a generated corp; null for the sample corp.</summary>
        public int? Members { get; private set; }
        public int? Departments { get; private set; }
        public int Seed { get; private set; } = 1;
        public IReadOnlyList<SandboxFault> Faults { get; private set; } = new SandboxFault[0];
        public double FaultRate { get; private set; } = 0.1;
        /// <summary>How fast import and export jobs run; null for the sandbox's own pace.</summary>
        public double? JobRowsPerSecond { get; private set; }
        /// <summary>The corp is bound to Tencent Exmail: user/update ignores a new email (<c>--exmail-bound</c>).</summary>
        public bool ExmailBound { get; private set; }
        /// <summary>Serves /debug/ (statistics, fault injection, latency, reset) to requests whose Host is loopback.</summary>
        public bool DebugEndpoints { get; private set; }
        /// <summary>Serve through a <see cref="FaultProxy"/> (<c>--proxy</c>).</summary>
        public bool Proxy { get; private set; }

        public static ServerOptions Parse(string[] args)
        {
            var options = new ServerOptions();
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                int Number() => int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                switch (args[i])
                {
                    case "--port": options.Port = Number(); break;
                    case "--proxy": options.Proxy = true; break;
                    case "--latency-ms": options.Latency = TimeSpan.FromMilliseconds(Number()); break;
                    case "--generate": options.Members = Number(); break;
                    case "--departments": options.Departments = Number(); break;
                    case "--seed": options.Seed = Number(); break;
                    case "--faults": options.Faults = Value().Split(',').Select(SandboxFault.Parse).ToList(); break;
                    case "--fault-rate": options.FaultRate = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture); break;
                    case "--job-rows-per-second": options.JobRowsPerSecond = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture); break;
                    case "--debug-endpoints": options.DebugEndpoints = true; break;
                    case "--exmail-bound": options.ExmailBound = true; break;
                    default:
                        options.Port = int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                            ? port
                            : throw new ArgumentException($"Unknown option '{args[i]}'. Options: [port] --port N --latency-ms N --generate MEMBERS --departments N --seed N --faults KIND,KIND --fault-rate R --job-rows-per-second N --exmail-bound --debug-endpoints");
                        break;
                }
            }

            return options;
        }

        /// <summary>The corp these options describe, with its latency and faults.</summary>
        public WeComSandbox CreateSandbox()
        {
            var sandbox = Members is { } members
                ? OrganisationGenerator.Generate(Departments ?? Math.Max(1, members / 50), members, Seed)
                : WeComSandbox.CreateSample();
            sandbox.Latency = Latency;
            sandbox.ExmailBound = ExmailBound;
            if (JobRowsPerSecond is { } rate)
            {
                sandbox.JobRowsPerSecond = rate;
            }

            if (Faults.Count > 0)
            {
                sandbox.AddFaults(new FaultSchedule(Seed, FaultRate, Faults.ToArray()));
            }

            return sandbox;
        }
    }
}
