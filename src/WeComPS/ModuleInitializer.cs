using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace WeComPS.Commands
{
    /// <summary>
    /// Loads the module's third-party DLLs from its dependencies/ folder when the runtime cannot bind them.
    /// On PowerShell 7 they go into the module's own AssemblyLoadContext, so another module's (or PowerShell's own)
    /// versions neither break WeComPS nor are broken by it; on Windows PowerShell 5.1 they load by path, which
    /// also stands in for the binding redirects .NET Framework would otherwise need.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

        private static readonly Lazy<Func<string, Assembly>?> IsolatedLoad = new Lazy<Func<string, Assembly>?>(CreateLoadContext);
        private static readonly ConcurrentDictionary<string, Assembly> Loaded = new ConcurrentDictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name!;
            var path = Path.Combine(DependencyFolder, name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            return Loaded.GetOrAdd(name, _ => IsolatedLoad.Value is { } load ? load(path) : Assembly.LoadFrom(path));
        }

        /// <summary>On .NET (PowerShell 7) a private AssemblyLoadContext, found by reflection from netstandard2.0; null on .NET Framework.</summary>
        private static Func<string, Assembly>? CreateLoadContext()
        {
            var type = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
            if (type is null)
            {
                return null;
            }

            var context = type.GetConstructor(new[] { typeof(string), typeof(bool) })!.Invoke(new object[] { "WeComPS", false });
            var loadFromPath = type.GetMethods().Single(m => m.Name == "LoadFromAssemblyPath" && m.GetParameters().Length == 1);
            return path => (Assembly)loadFromPath.Invoke(context, new object[] { path })!;
        }
    }
}
