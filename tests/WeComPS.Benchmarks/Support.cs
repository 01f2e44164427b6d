using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace WeComPS.Benchmarks
{
    /// <summary>The benchmark's command line.</summary>
    internal sealed class Options
    {
        public int LatencyMs { get; private set; } = 20;
        public int Departments { get; private set; } = 1000;
        public int Members { get; private set; } = 50000;
        public int Runs { get; private set; } = 3;
        /// <summary>--sync: time whole-directory member syncs of 5,000 and 50,000 rows instead of the reads.</summary>
        public bool Sync { get; private set; }

        public static Options Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] == "--sync")
                {
                    options.Sync = true;
                    continue;
                }

                var value = i + 1 < args.Length ? int.Parse(args[++i], CultureInfo.InvariantCulture) : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i - 1])
                {
                    case "--latency-ms": options.LatencyMs = value; break;
                    case "--departments": options.Departments = value; break;
                    case "--members": options.Members = value; break;
                    case "--runs": options.Runs = Math.Max(1, value); break;
                    default: throw new ArgumentException($"Unknown option {args[i - 1]}: use --sync, --latency-ms, --departments, --members, --runs.");
                }
            }

            return options;
        }
    }

    /// <summary>One timed read of everyone.</summary>
    internal sealed class Read
    {
        public Read(int members, TimeSpan elapsed, TimeSpan firstMember, int calls, int listCalls)
        {
            Members = members;
            Elapsed = elapsed;
            FirstMember = firstMember;
            Calls = calls;
            ListCalls = listCalls;
        }

        public int Members { get; }
        public TimeSpan Elapsed { get; }
        public TimeSpan FirstMember { get; }
        /// <summary>Calls of the read: department/simplelist and user/list.</summary>
        public int Calls { get; }
        public int ListCalls { get; }
        public long LiveGrowth { get; set; }
        public long PeakHeapGrowth { get; set; }
        public long PeakWorkingSetGrowth { get; set; }
    }

    /// <summary>
    /// Memory growth over a baseline taken after a full collection: the managed heap and the working set, sampled every
    /// 1,000 members, and the heap that is still live half-way through (a full collection at that member).
    /// </summary>
    internal sealed class MemoryProbe
    {
        private readonly int _halfWay;
        private readonly long _heap;
        private readonly long _workingSet;

        public MemoryProbe(int halfWay)
        {
            _halfWay = halfWay;
            _heap = GC.GetTotalMemory(forceFullCollection: true);
            _workingSet = WorkingSet();
        }

        public long LiveGrowth { get; private set; }
        public long PeakHeapGrowth { get; private set; }
        public long PeakWorkingSetGrowth { get; private set; }

        public void Sample(int member)
        {
            if (member == _halfWay)
            {
                LiveGrowth = GC.GetTotalMemory(forceFullCollection: true) - _heap;
            }

            if (member % 1000 == 0)
            {
                PeakHeapGrowth = Math.Max(PeakHeapGrowth, GC.GetTotalMemory(forceFullCollection: false) - _heap);
                PeakWorkingSetGrowth = Math.Max(PeakWorkingSetGrowth, WorkingSet() - _workingSet);
            }
        }

        private static long WorkingSet()
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }
    }

    /// <summary>A readable table: sections of rows with a value and a note.</summary>
    internal sealed class Report
    {
        private readonly List<(string Label, string Value, string Note)?> _rows = new List<(string, string, string)?>();
        private readonly List<string> _lines = new List<string>();

        public void Section(string title)
        {
            Flush();
            _lines.Add("");
            _lines.Add(title);
        }

        public void Row(string label, string value, string note = "") => _rows.Add((label, value, note));

        public void Print()
        {
            Flush();
            foreach (var line in _lines)
            {
                Console.WriteLine(line);
            }
        }

        private void Flush()
        {
            foreach (var row in _rows)
            {
                var (label, value, note) = row!.Value;
                _lines.Add($"  {label,-58}{value,12}   {note}".TrimEnd());
            }

            _rows.Clear();
        }
    }
}
