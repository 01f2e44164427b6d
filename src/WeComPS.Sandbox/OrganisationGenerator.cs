using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WeComPS.Sandbox
{
    /// <summary>
    /// Generates large sandbox corps for scale tests and benchmarks: a department tree within WeCom's 15 levels and
    /// members spread over it, one in ten in two or three departments. The same seed gives the same corp. The corp
    /// id and secrets are the sample corp's, so the same connection settings work.
    /// </summary>
    public static class OrganisationGenerator
    {
        private const int MaxDepth = 15;

        /// <summary>A corp of <paramref name="departments"/> departments (the root is 1) and <paramref name="members"/> members.</summary>
        public static WeComSandbox Generate(int departments, int members, int seed = 1)
        {
            if (departments < 1 || members < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(departments), "A corp has at least its root department and no negative number of members.");
            }

            var random = new Random(seed);
            var sandbox = new WeComSandbox(WeComSandbox.SampleCorpId);
            WeComSandbox.AddSampleApps(sandbox, Math.Min(2, departments));

            // Each department hangs below a random earlier one, so the tree is bushy near the root and deep enough to
            // matter; a parent at the depth limit hands its children to the root.
            var depth = new int[departments + 1];
            sandbox.AddDepartment(new SandboxDepartment { Id = 1, Name = "总部", ParentId = 0, Order = 100000000 });
            depth[1] = 1;
            for (var id = 2; id <= departments; id++)
            {
                var parent = 1 + random.Next(id - 1);
                parent = depth[parent] < MaxDepth ? parent : 1;
                depth[id] = depth[parent] + 1;
                sandbox.AddDepartment(new SandboxDepartment
                {
                    Id = id,
                    Name = "部门" + id.ToString("D5", CultureInfo.InvariantCulture),
                    ParentId = parent,
                    Order = random.Next(1, 100000),
                });
            }

            for (var n = 1; n <= members; n++)
            {
                var userId = "u" + n.ToString("D6", CultureInfo.InvariantCulture);
                var inDepartments = new List<int> { 1 + random.Next(departments) };
                // One member in ten is in two or three departments.
                var extra = departments < 2 || random.Next(10) != 0 ? 0 : random.Next(5) == 0 ? 2 : 1;
                while (inDepartments.Count < 1 + Math.Min(extra, departments - 1))
                {
                    var other = 1 + random.Next(departments);
                    if (!inDepartments.Contains(other))
                    {
                        inDepartments.Add(other);
                    }
                }

                sandbox.AddUser(new SandboxUser
                {
                    UserId = userId,
                    Name = "成员" + n.ToString("D6", CultureInfo.InvariantCulture),
                    Department = inDepartments,
                    Order = inDepartments.Select(_ => (long)random.Next(0, 1000)).ToList(),
                    IsLeaderInDept = inDepartments.Select(_ => 0).ToList(),
                    MainDepartment = inDepartments[0],
                    Gender = 1 + random.Next(2),
                    Position = "工程师",
                    Mobile = "139" + n.ToString("D8", CultureInfo.InvariantCulture),
                    Email = userId + "@example.com",
                    Telephone = "020-" + n.ToString("D8", CultureInfo.InvariantCulture),
                    Status = random.Next(20) == 0 ? 4 : 1,
                });
            }

            return sandbox;
        }
    }
}
