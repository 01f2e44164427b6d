using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace NeighbourModule
{
    /// <summary>
    /// Loads the module's dependencies from its lib/ folder when the runtime asks for one by name, at the version it
    /// carries or an older one: the resolver most binary modules have.
    /// </summary>
    public sealed class NeighbourInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string Lib = Path.Combine(Path.GetDirectoryName(typeof(NeighbourInitializer).Assembly.Location)!, "lib");

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            var path = Path.Combine(Lib, wanted.Name + ".dll");
            return File.Exists(path) && (wanted.Version is null || AssemblyName.GetAssemblyName(path).Version >= wanted.Version) ? Assembly.LoadFrom(path) : null;
        }
    }
}
